"""Work that waits for a person: each app lists its own kinds in ``<app>/waiting.py``
(``@provider``), and the home page shows every non-empty one with its count and a link.
csops names no app: the modules are found at start-up (CsopsConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User


@dataclass(frozen=True)
class Waiting:
    key: str  # stable id, e.g. "policies.approve" (tests and the page's element ids)
    label: str  # "Policies to approve"
    count: int
    url: str
    overdue: int = 0  # how many of them are late (shown as a badge)


Provider = Callable[[User], list[Waiting]]
_providers: list[Provider] = []


def provider(fn: Provider) -> Provider:
    if fn not in _providers:
        _providers.append(fn)
    return fn


def for_user(user: User) -> list[Waiting]:
    """Every kind of waiting work the person has, most overdue first, none that is empty."""
    items = [item for fn in _providers for item in fn(user) if item.count]
    return sorted(items, key=lambda item: (-item.overdue, item.label))
