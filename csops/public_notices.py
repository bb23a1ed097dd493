"""Notices the public pages show (help center, contact form, portal): a registry, so the
pages below ``tickets`` can show an open public incident without importing ``tickets``.

An app registers a provider from its ``AppConfig.ready()`` (``tickets`` registers its open
public incidents); the pages ask ``current()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PublicNotice:
    title: str
    summary: str  # the customer-facing text, shown as plain text
    status: str  # e.g. "Investigating", "Resolved"
    since: datetime
    updated_at: datetime | None = None
    follow_url: str = ""  # where the contact form posts an address to follow it (if any)


_providers: list[Callable[[], list[PublicNotice]]] = []


def provide(provider: Callable[[], list[PublicNotice]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def current() -> list[PublicNotice]:
    notices: list[PublicNotice] = []
    for provider in _providers:
        notices += provider()
    return sorted(notices, key=lambda n: n.since, reverse=True)
