"""Presence on a ticket: one cache entry per ticket maps each person to when they were last
seen and until when they were typing. Entries older than PRESENCE_TTL_SECONDS are dropped on
read, so a closed tab disappears by itself within seconds.

Two people beating on the same ticket at the same instant may overwrite each other's entry
(read-modify-write on one key); the next beat, seconds later, puts it back. That is the price
of working on any cache backend (the embedded mode has no Redis), and it is only presence.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches

from csops.people import display_name

TYPING_SECONDS = 8  # "is writing" lasts this long after the last keystroke the page reported


@dataclass(frozen=True)
class Viewer:
    user_id: int
    name: str
    typing: bool


def _cache():
    return caches["presence"]


def _key(ticket_id: int) -> str:
    return f"ticket:{ticket_id}"


def _fresh(entries: dict, now: float) -> dict:
    ttl = settings.PRESENCE_TTL_SECONDS
    return {uid: e for uid, e in entries.items() if now - e["seen"] <= ttl}


def beat(ticket_id: int, user: User, *, typing: bool, now: float | None = None) -> list[Viewer]:
    """Record that ``user`` has the ticket open (and is writing, if ``typing``); return the
    other people who have it open now, writers first."""
    now = time.time() if now is None else now
    cache = _cache()
    entries = _fresh(cache.get(_key(ticket_id)) or {}, now)
    mine = entries.get(str(user.pk), {})
    entries[str(user.pk)] = {
        "name": display_name(user),
        "seen": now,
        "typing_until": now + TYPING_SECONDS if typing else min(mine.get("typing_until", 0), now),
    }
    cache.set(_key(ticket_id), entries, timeout=settings.PRESENCE_TTL_SECONDS)
    return _others(entries, user.pk, now)


def leave(ticket_id: int, user: User) -> None:
    """The page was closed: drop the person at once rather than after the TTL."""
    cache = _cache()
    entries = cache.get(_key(ticket_id)) or {}
    if entries.pop(str(user.pk), None) is not None:
        cache.set(_key(ticket_id), entries, timeout=settings.PRESENCE_TTL_SECONDS)


def viewers(ticket_id: int, *, except_user_id: int | None = None) -> list[Viewer]:
    now = time.time()
    entries = _fresh(_cache().get(_key(ticket_id)) or {}, now)
    return _others(entries, except_user_id, now)


def _others(entries: dict, except_user_id: int | None, now: float) -> list[Viewer]:
    people = [
        Viewer(user_id=int(uid), name=e["name"], typing=e["typing_until"] > now)
        for uid, e in entries.items()
        if uid != str(except_user_id)
    ]
    return sorted(people, key=lambda v: (not v.typing, v.name))
