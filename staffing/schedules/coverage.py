"""Scheduled agents per half hour of a week (pure: shifts and blocks in, 336 counts out).

A half hour counts a person when it starts inside one of their shifts (an overnight shift
runs on into the next day; Sunday night's runs into Monday of the same pattern) and not
inside one of their blocks (time off, training) that week.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

SLOTS = 7 * 48


@dataclass(frozen=True)
class ShiftSpec:
    user_id: int
    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class BlockSpec:
    user_id: int
    starts_at: datetime
    ends_at: datetime


def _ceil_slot(t: time) -> int:
    minutes = t.hour * 60 + t.minute + (1 if t.second else 0)
    return -(-minutes // 30)


def shift_slots(shift: ShiftSpec) -> list[int]:
    """Half hours of the week (0..335) a shift covers."""
    first = shift.weekday * 48 + _ceil_slot(shift.start)
    end = shift.weekday * 48 + _ceil_slot(shift.end)
    if shift.end <= shift.start:
        end += 48
    return [s % SLOTS for s in range(first, end)]


def scheduled(
    shifts: Iterable[ShiftSpec], blocks: Iterable[BlockSpec], monday: date, zone: tzinfo
) -> list[int]:
    people: dict[int, set[int]] = {}
    for shift in shifts:
        people.setdefault(shift.user_id, set()).update(shift_slots(shift))
    week_start = datetime.combine(monday, time(0), tzinfo=zone)
    for block in blocks:
        slots = people.get(block.user_id)
        if not slots:
            continue
        for s in list(slots):
            at = week_start + timedelta(minutes=30 * s)
            if block.starts_at <= at < block.ends_at:
                slots.discard(s)
    counts = [0] * SLOTS
    for slots in people.values():
        for s in slots:
            counts[s] += 1
    return counts


def covers(shift: ShiftSpec, local: datetime) -> bool:
    """Whether a shift covers a local wall-clock instant (an overnight shift runs on into
    the next day, Sunday's into Monday)."""
    day, t = local.weekday(), local.time().replace(tzinfo=None)
    if shift.end > shift.start:
        return day == shift.weekday and shift.start <= t < shift.end
    return (day == shift.weekday and t >= shift.start) or (
        day == (shift.weekday + 1) % 7 and t < shift.end
    )


def on_shift(
    people: Iterable[int],
    shifts: Iterable[ShiftSpec],
    blocks: Iterable[BlockSpec],
    at: datetime,
    zone: tzinfo,
) -> set[int]:
    """The people on shift at ``at``: someone with no shift in the pattern is not scheduled
    and counts as on shift (schedules are optional); someone with shifts is on shift only
    inside one; anyone inside a block (time off, training) is off."""
    local = at.astimezone(zone)
    scheduled: dict[int, bool] = {}
    for shift in shifts:
        scheduled[shift.user_id] = scheduled.get(shift.user_id, False) or covers(shift, local)
    off = {b.user_id for b in blocks if b.starts_at <= at < b.ends_at}
    return {u for u in people if scheduled.get(u, True) and u not in off}
