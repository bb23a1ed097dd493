"""One way to show a duration: the unit chosen by magnitude ("45 min", "7.8 h", "3.2 d").

Storage and CSV exports keep plain minutes (KPI_SPEC §1: the UI rounds); only pages use this.
``static/js/dashboard.js`` mirrors it for chart tooltips.
"""

from __future__ import annotations

MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * 60
EMPTY = "—"


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def duration(minutes: float | int | None, *, empty: str = EMPTY) -> str:
    """Minutes as text: under an hour in whole minutes, under a day in hours, else days (one
    decimal, none when it is .0). Under a minute but above zero reads "< 1 min"."""
    if minutes is None or minutes == "":
        return empty
    value = float(minutes)
    sign = "−" if value < 0 else ""
    value = abs(value)
    if 0 < value < 1:
        return f"{sign}< 1 min"
    if round(value) < MINUTES_PER_HOUR:
        return f"{sign}{round(value)} min"
    if round(value / MINUTES_PER_HOUR, 1) < 24:
        return f"{sign}{_number(value / MINUTES_PER_HOUR)} h"
    return f"{sign}{_number(value / MINUTES_PER_DAY)} d"


def duration_days(days: float | int | None, *, empty: str = EMPTY) -> str:
    """An age kept in days (backlog age), shown like every other duration."""
    return empty if days is None else duration(float(days) * MINUTES_PER_DAY, empty=empty)
