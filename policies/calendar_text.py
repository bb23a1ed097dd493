"""Calendar hours as people type them, for the calendar form and the API. Pure (no ORM).

- A day: ``"09:00-12:00, 13:00-17:00"``; an overnight shift ``"22:00-06:00"`` continues on the
  next day (Sunday wraps to Monday); ``"24:00"`` may end a shift; empty = closed.
- Holidays, one per line: ``"2026-12-25"`` (closed all day) or ``"2026-12-24 09:00-13:00"``
  (a partial day: only these hours are open that date; several ranges separated by commas).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from policies.business_time import (
    WEEKDAY_NAMES,
    format_minute,
    validate_special_days,
    weekly_from_shifts,
)

DAY_KEYS = tuple(name.lower() for name in WEEKDAY_NAMES)  # "monday" .. "sunday"
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def _minute(text: str) -> int:
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(f"{text.strip()!r} is not a time: write HH:MM, e.g. 09:00.")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"{text.strip()} is not a time of day (00:00 to 24:00).")
    return hours * 60 + minutes


def parse_ranges(text: str) -> list[tuple[int, int]]:
    """``"09:00-12:00, 13:00-17:00"`` -> ``[(540, 720), (780, 1020)]`` (start may exceed end)."""
    ranges = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        if "-" not in part:
            raise ValueError(f"{part!r} is not a range: write start-end, e.g. 09:00-17:00.")
        start, _, end = part.partition("-")
        ranges.append((_minute(start), _minute(end)))
    return ranges


def parse_week(days: Mapping[str, str]) -> dict[int, tuple[tuple[int, int], ...]]:
    """Day texts keyed by ``DAY_KEYS`` -> a validated ``weekly`` mapping. Errors are
    ``ValueError`` whose message starts with the weekday it concerns."""
    shifts = []
    for weekday, key in enumerate(DAY_KEYS):
        try:
            ranges = parse_ranges(days.get(key) or "")
        except ValueError as exc:
            raise ValueError(f"{WEEKDAY_NAMES[weekday]}: {exc}") from None
        for start, end in ranges:
            if start == 1440:
                raise ValueError(f"{WEEKDAY_NAMES[weekday]}: a shift cannot start at 24:00.")
            if start == end:
                raise ValueError(
                    f"{WEEKDAY_NAMES[weekday]}: interval {format_minute(start)}–"
                    f"{format_minute(end)} is empty: its start must be before its end."
                )
            shifts.append((weekday, start, end))
    return weekly_from_shifts(shifts)


def parse_holidays(lines: Sequence[str]) -> dict[date, tuple[tuple[int, int], ...]]:
    """Holiday lines -> ``special_days`` (validated). Errors name the offending line."""
    out: dict[date, tuple[tuple[int, int], ...]] = {}
    for line in filter(None, (raw.strip() for raw in lines)):
        day_text, _, hours = line.partition(" ")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise ValueError(f"{day_text!r} is not a date: write YYYY-MM-DD.") from None
        if day in out:
            raise ValueError(f"{day.isoformat()} is listed twice.")
        ranges = parse_ranges(hours)
        if any(start >= end for start, end in ranges):
            raise ValueError(f"{day.isoformat()}: partial-day hours must not cross midnight.")
        out[day] = tuple(sorted(ranges))
    validate_special_days(out)
    return out


def format_ranges(spans: Sequence[Sequence[int]]) -> str:
    return ", ".join(f"{format_minute(s)}-{format_minute(e)}" for s, e in spans)


def week_as_text(weekly: Mapping[str, Sequence[Sequence[int]]]) -> dict[str, str]:
    """Stored ``weekly`` (keys "0".."6") -> day texts (overnight shifts shown split)."""
    return {key: format_ranges(weekly.get(str(i), [])) for i, key in enumerate(DAY_KEYS)}


def holidays_as_lines(holidays: Mapping[str, Sequence[Sequence[int]]]) -> list[str]:
    return [f"{day} {format_ranges(spans)}".strip() for day, spans in sorted(holidays.items())]
