"""The period a digest covers (pure): the last complete ISO week (Monday to Sunday, §9.22) or
calendar month before ``today`` (a reporting-zone date)."""

from __future__ import annotations

from datetime import date, timedelta

WEEKLY, MONTHLY = "weekly", "monthly"


def last_complete(cadence: str, today: date) -> tuple[date, date]:
    """(first day, last day) of the latest week or month that ended before ``today``."""
    if cadence == WEEKLY:
        this_monday = today - timedelta(days=today.weekday())
        return this_monday - timedelta(days=7), this_monday - timedelta(days=1)
    if cadence == MONTHLY:
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    raise ValueError(f"unknown cadence {cadence!r}")


def label(cadence: str, start: date, end: date) -> str:
    """ "Week 49, 30 Nov – 6 Dec 2026" or "November 2026"."""
    if cadence == MONTHLY:
        return f"{start:%B %Y}"
    iso_week = start.isocalendar().week
    return f"Week {iso_week}, {start.day} {start:%b} – {end.day} {end:%b %Y}"
