"""Business-time arithmetic for schedules (KPI_SPEC §3, §9.6, §9.18, §9.19). Pure: stdlib only.

A :class:`Schedule` names the local wall-clock intervals of each weekday (and of special dates)
that are business time in one IANA zone. An instant is business time iff its local date is not a
full holiday and its wall-clock time lies in one of that date's intervals.

Every question is answered by resolving each *local date* to UTC pieces once (cached per
process by zone, intervals and date, and on the schedule): the UTC window that can hold the
date is split into runs of constant UTC offset (transition days have two), and for a run with
offset ``o`` the instants whose wall time lies in ``[d+s, d+e)`` are UTC ``[d+s-o, d+e-o)``
intersected with the run. That gives the §3 DST behaviour with no special case: 09:00-17:00
stays 8 h, an interval holding the skipped hour is 1 h shorter and one holding the repeated hour
1 h longer, an endpoint in a skipped hour maps to the transition instant, and an endpoint in a
repeated hour keeps both occurrences (two pieces). Cost is O(local dates spanned), never O(minutes).

Instants must be timezone-aware; results are UTC. Internally instants are integer microseconds
since the epoch, so sub-second inputs are measured exactly and ``business_seconds`` floors to
whole seconds (§9.18 truncates logged instants to seconds, so this is moot in practice).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from types import MappingProxyType
from typing import Protocol
from zoneinfo import ZoneInfo, available_timezones

__all__ = [
    "CALENDAR_HOURS",
    "DEFAULT_HORIZON_DAYS",
    "MINUTES_PER_DAY",
    "WEEKDAY_NAMES",
    "CalendarHours",
    "Hours",
    "Schedule",
    "format_minute",
    "split_overnight",
    "validate_intervals",
    "validate_special_days",
    "validate_timezone",
    "validate_weekly",
    "weekly_from_shifts",
]

MINUTES_PER_DAY = 1440
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_HORIZON_DAYS = 400  # §9.19: a projection not reached within 400 days gives None

Interval = tuple[int, int]
_Pieces = tuple[tuple[int, int], ...]  # UTC microseconds, sorted, disjoint

_US = 1_000_000
_DAY_S = 86_400
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_ONE_US = timedelta(microseconds=1)
_ONE_S = timedelta(seconds=1)
# Every UTC offset in tzdata lies within +-16 h (extremes -15:56:08 and +15:13:42, both LMT), so
# the instants of local date d lie in UTC [d 00:00 - 16 h, d+1 00:00 + 16 h) read naively.
_MAX_OFFSET_S = 16 * 3600
_MAX_US = _MAX_OFFSET_S * _US
# Offsets are probed at the edges of 24 h UTC blocks and bisected inside a block whose edges
# differ (repeatedly, for several changes). Only a change that is undone inside one block could
# be missed; since 1900 tzdata has no such pair closer than 95 h (Africa/Freetown).
_BLOCK_S = 24 * 3600
_DAY_CACHE_LIMIT = 20_000  # resolved dates (and UTC days) kept per schedule (about 55 years)
_DAY_US = _DAY_S * _US
# One UTC day's business pieces: starts, ends, length before each piece, total (microseconds).
_UtcDay = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], int]


class Hours(Protocol):
    """What SLA and KPI code needs from a clock: a :class:`Schedule` or ``CALENDAR_HOURS``."""

    def is_business_time(self, t: datetime) -> bool: ...

    def business_pieces(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime]]: ...

    def business_seconds(self, start: datetime, end: datetime) -> int: ...

    def add_business_seconds(
        self, start: datetime, seconds: int, *, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> datetime | None: ...

    def next_business_instant(
        self, t: datetime, *, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> datetime | None: ...


# --- validation -----------------------------------------------------------------------------


def format_minute(minute: int) -> str:
    """1020 -> '17:00', 1440 -> '24:00' (used in messages and forms)."""
    hours, minutes = divmod(abs(minute), 60)
    return f"{'-' if minute < 0 else ''}{hours:02d}:{minutes:02d}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _invalid(message: str, day: str | None) -> ValueError:
    return ValueError(f"{day}: {message}" if day else message)


def validate_intervals(intervals: Iterable[Sequence[int]], *, day: str | None = None) -> None:
    """Check one day's intervals; ``day`` (e.g. 'Monday') prefixes the message. Empty = closed."""
    checked: list[Interval] = []
    for item in intervals:
        if (
            not isinstance(item, Sequence)
            or isinstance(item, str | bytes)
            or len(item) != 2
            or not all(map(_is_int, item))
        ):
            raise _invalid(f"Interval {item!r} must be a (start, end) pair of whole minutes.", day)
        start, end = item
        span = f"{format_minute(start)}–{format_minute(end)}"
        if not (0 <= start <= MINUTES_PER_DAY and 0 <= end <= MINUTES_PER_DAY):
            raise _invalid(
                f"Interval {span} is out of range: times must lie between 00:00 and 24:00.", day
            )
        if start >= end:
            raise _invalid(
                f"Interval {span} is empty: its start must be before its end "
                "(split a shift that crosses midnight into two intervals).",
                day,
            )
        checked.append((start, end))
    checked.sort()
    for (s1, e1), (s2, e2) in pairwise(checked):
        if s2 < e1:
            raise _invalid(
                f"Intervals {format_minute(s1)}–{format_minute(e1)} and "
                f"{format_minute(s2)}–{format_minute(e2)} overlap.",
                day,
            )


def validate_weekly(weekly: Mapping[int, Sequence[Sequence[int]]]) -> None:
    """Check weekday keys and intervals; a schedule needs at least one weekly interval (§9.19)."""
    for weekday, intervals in weekly.items():
        if not _is_int(weekday) or not 0 <= weekday <= 6:
            raise ValueError(f"Weekday {weekday!r} is out of range: use 0 (Monday) to 6 (Sunday).")
        validate_intervals(intervals, day=WEEKDAY_NAMES[weekday])
    if not any(weekly.values()):
        raise ValueError("A schedule needs at least one weekly business interval.")


def validate_special_days(special_days: Mapping[date, Sequence[Sequence[int]]]) -> None:
    """Check holiday keys (local dates) and partial-day intervals; () means closed all day."""
    for day, intervals in special_days.items():
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValueError(f"Special day {day!r} must be a date.")
        validate_intervals(intervals, day=day.isoformat())


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    # Some systems ship zoneinfo/localtime -> /etc/localtime: the server's zone, never an answer.
    return frozenset(available_timezones()) - {"localtime", "posixrules", "Factory"}


def validate_timezone(tz: str) -> ZoneInfo:
    """Return the zone for an IANA name; 'localtime' and other non-IANA keys are refused."""
    if not isinstance(tz, str) or tz not in _known_zones():
        raise ValueError(f"Unknown time zone {tz!r}.")
    return ZoneInfo(tz)


def split_overnight(start_minute: int, end_minute: int) -> list[tuple[int, int, int]]:
    """A shift as ``(weekday_offset, start, end)`` day intervals: 22:00-06:00 gives
    ``[(0, 1320, 1440), (1, 0, 360)]``; 22:00-00:00 gives ``[(0, 1320, 1440)]``."""
    if not (_is_int(start_minute) and _is_int(end_minute)):
        raise ValueError("Shift times must be whole minutes.")
    span = f"{format_minute(start_minute)}–{format_minute(end_minute)}"
    if not (0 <= start_minute < MINUTES_PER_DAY and 0 <= end_minute <= MINUTES_PER_DAY):
        raise ValueError(f"Shift {span} is out of range: times must lie between 00:00 and 24:00.")
    if start_minute == end_minute:
        raise ValueError(f"Shift {span} is empty: its start and end must differ.")
    if start_minute < end_minute:
        return [(0, start_minute, end_minute)]
    pieces = [(0, start_minute, MINUTES_PER_DAY)]
    if end_minute > 0:
        pieces.append((1, 0, end_minute))
    return pieces


def weekly_from_shifts(shifts: Iterable[tuple[int, int, int]]) -> dict[int, tuple[Interval, ...]]:
    """``(weekday, start, end)`` shifts, overnight ones allowed (Sunday wraps to Monday), as a
    validated ``weekly`` mapping."""
    weekly: dict[int, list[Interval]] = {}
    for weekday, start, end in shifts:
        if not _is_int(weekday) or not 0 <= weekday <= 6:
            raise ValueError(f"Weekday {weekday!r} is out of range: use 0 (Monday) to 6 (Sunday).")
        for offset, piece_start, piece_end in split_overnight(start, end):
            weekly.setdefault((weekday + offset) % 7, []).append((piece_start, piece_end))
    validate_weekly(weekly)
    return {day: tuple(sorted(weekly[day])) for day in sorted(weekly)}


# --- instants and offsets -------------------------------------------------------------------


def _to_us(t: datetime) -> int:
    if t.__class__ is datetime and t.tzinfo is UTC:  # the common case, checked cheaply
        return (t - _EPOCH) // _ONE_US
    if not isinstance(t, datetime) or t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"Instants must be timezone-aware datetimes, got {t!r}.")
    return (t - _EPOCH) // _ONE_US


def _from_us(us: int) -> datetime:
    return _EPOCH + timedelta(0, 0, us)


def _check_counts(seconds: int, horizon_days: int) -> None:
    if not _is_int(seconds) or seconds < 0:
        raise ValueError(f"seconds must be a non-negative whole number, got {seconds!r}.")
    if not _is_int(horizon_days) or horizon_days < 0:
        raise ValueError(f"horizon_days must be a non-negative whole number, got {horizon_days!r}.")


def _offset_s(zone: ZoneInfo, ts: int) -> int:
    offset = datetime.fromtimestamp(ts, zone).utcoffset()
    assert offset is not None  # an aware datetime in a ZoneInfo always has one
    return offset // _ONE_S


@lru_cache(maxsize=1 << 16)
def _block_offsets(tz: str, block: int) -> tuple[tuple[int, int], ...]:
    """``(utc_second, offset)`` at the start of a 24 h UTC block and at each change inside it."""
    zone = ZoneInfo(tz)
    lo = block * _BLOCK_S
    hi = lo + _BLOCK_S
    offset, end_offset = _offset_s(zone, lo), _offset_s(zone, hi)
    changes = [(lo, offset)]
    while offset != end_offset:
        a, b = changes[-1][0], hi  # offset(a) == offset != offset(b)
        while b - a > 1:
            mid = (a + b) // 2
            if _offset_s(zone, mid) == offset:
                a = mid
            else:
                b = mid
        if b == hi:  # the change is at the next block's start
            break
        offset = _offset_s(zone, b)
        changes.append((b, offset))
    return tuple(changes)


def _offset_segments(tz: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """UTC ``[lo, hi)`` (seconds) as ``(start, end, offset)`` runs of constant offset."""
    points: list[tuple[int, int]] = []
    for block in range(lo // _BLOCK_S, (hi - 1) // _BLOCK_S + 1):
        for at, offset in _block_offsets(tz, block):
            if not points or points[-1][1] != offset:
                points.append((at, offset))
    ends = [at for at, _ in points[1:]] + [hi]
    return [
        (max(at, lo), min(end, hi), offset)
        for (at, offset), end in zip(points, ends, strict=True)
        if max(at, lo) < min(end, hi)
    ]


def _local_midnight_us(ordinal: int) -> int:
    """Local 00:00 of a date read as if it were UTC, in microseconds."""
    return (ordinal - _EPOCH_ORDINAL) * _DAY_S * _US


@lru_cache(maxsize=1 << 14)
def _day_segments(tz: str, ordinal: int) -> tuple[tuple[int, int, int], ...]:
    """Constant-offset runs of the UTC window that can hold a local date (shared by schedules)."""
    midnight = (ordinal - _EPOCH_ORDINAL) * _DAY_S
    return tuple(_offset_segments(tz, midnight - _MAX_OFFSET_S, midnight + _DAY_S + _MAX_OFFSET_S))


@lru_cache(maxsize=1 << 14)
def _resolve_day(tz: str, intervals: tuple[Interval, ...], ordinal: int) -> tuple[_Pieces, int]:
    """The UTC pieces (microseconds) of one local date's intervals, and their total.

    For a run with offset ``o``, wall time ``[d+s, d+e)`` is UTC ``[d+s-o, d+e-o)`` within the
    run; a skipped hour falls in no run and a repeated hour in two."""
    midnight = (ordinal - _EPOCH_ORDINAL) * _DAY_S
    raw = []
    for seg_lo, seg_hi, offset in _day_segments(tz, ordinal):
        base = midnight - offset
        for start, end in intervals:
            lo, hi = max(base + start * 60, seg_lo), min(base + end * 60, seg_hi)
            if lo < hi:
                raw.append((lo, hi))
    pieces = tuple((lo * _US, hi * _US) for lo, hi in _merge_touching(sorted(raw)))
    return pieces, sum(hi - lo for lo, hi in pieces)


def _merge_touching(pieces: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Merge sorted half-open pieces that overlap or touch."""
    current: tuple[int, int] | None = None
    for lo, hi in pieces:
        if current is not None and lo <= current[1]:
            current = (current[0], max(current[1], hi))
            continue
        if current is not None:
            yield current
        current = (lo, hi)
    if current is not None:
        yield current


# --- schedules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """A business-hours schedule (one immutable version of it). Validated on construction.

    ``weekly``: weekday (0=Mon..6=Sun) -> ``[(start_minute, end_minute)]`` local wall clock,
    ``0 <= start < end <= 1440``. ``special_days``: local date -> ``()`` (closed all day) or the
    intervals that replace that weekday's intervals on that date (a partial day).
    """

    tz: str
    weekly: Mapping[int, Sequence[Interval]]
    special_days: Mapping[date, Sequence[Interval]] = field(default_factory=dict)
    version: int | None = None
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _days: dict[int, tuple[_Pieces, int]] = field(init=False, repr=False, compare=False)
    _utc_days: dict[int, _UtcDay] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        zone = validate_timezone(self.tz)
        validate_weekly(self.weekly)
        validate_special_days(self.special_days)
        weekly = {k: tuple(sorted(map(tuple, v))) for k, v in sorted(self.weekly.items()) if v}
        special = {k: tuple(sorted(map(tuple, v))) for k, v in sorted(self.special_days.items())}
        object.__setattr__(self, "weekly", MappingProxyType(weekly))
        object.__setattr__(self, "special_days", MappingProxyType(special))
        object.__setattr__(self, "_zone", zone)
        object.__setattr__(self, "_days", {})
        object.__setattr__(self, "_utc_days", {})

    def __hash__(self) -> int:
        return hash(
            (self.tz, tuple(self.weekly.items()), tuple(self.special_days.items()), self.version)
        )

    def __reduce__(self) -> tuple[type[Schedule], tuple[object, ...]]:
        # Mapping proxies do not pickle: rebuild from plain dicts (re-validated, empty cache).
        return (Schedule, (self.tz, dict(self.weekly), dict(self.special_days), self.version))

    # Public API ---------------------------------------------------------------------------

    def is_business_time(self, t: datetime) -> bool:
        us = _to_us(t)
        pieces, _ = self._day(self._ordinal(t))
        return any(lo <= us < hi for lo, hi in pieces)

    def business_pieces(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime]]:
        """UTC half-open pieces of business time in ``[start, end)``, in order, adjacent merged."""
        a, b = _to_us(start), _to_us(end)
        if b <= a:
            return iter(())
        pieces = self._ordered(a, b, self._ordinal(start) - 1, self._ordinal(end) + 1)
        return ((_from_us(lo), _from_us(hi)) for lo, hi in _merge_touching(pieces))

    def business_seconds(self, start: datetime, end: datetime) -> int:
        """Business time in ``[start, end)`` in whole seconds; 0 if ``end <= start``.

        Read from prefix sums per UTC day (:meth:`_utc_day`): two bisections for a span
        within one UTC day, plus one cached total per UTC day in between."""
        a, b = _to_us(start), _to_us(end)
        if b <= a:
            return 0
        first, last = a // _DAY_US, b // _DAY_US
        if first == last:
            return (self._before(first, b) - self._before(first, a)) // _US
        total = self._utc_day(first)[3] - self._before(first, a) + self._before(last, b)
        for k in range(first + 1, last):
            total += self._utc_day(k)[3]
        return total // _US

    def add_business_seconds(
        self, start: datetime, seconds: int, *, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> datetime | None:
        """Earliest ``t >= start`` with ``business_seconds(start, t) >= seconds``: the end of an
        interval when the count is reached exactly there. ``seconds == 0`` gives ``start``.
        ``None`` when ``t`` would be later than ``start + horizon_days`` days (elapsed)."""
        _check_counts(seconds, horizon_days)
        a = _to_us(start)
        if seconds == 0:
            return _from_us(a)
        limit = a + horizon_days * _DAY_S * _US
        remaining = seconds * _US
        ordinal = self._ordinal(start) - 1
        last = self._ordinal(_from_us(limit)) + 1
        # Skip whole dates while the target lies beyond a date and the next one: only then can
        # pieces be counted by date, since a date's pieces interleave with its neighbours' in
        # zones whose clocks go back across midnight (America/Goose_Bay until 2010).
        here = self._total_from(ordinal, a)
        while ordinal < last:
            following = self._total_from(ordinal + 1, a)
            if remaining <= here + following:
                break
            remaining -= here
            ordinal, here = ordinal + 1, following
        for lo, hi in self._ordered(a, None, ordinal, last):
            if remaining <= hi - lo:
                return _from_us(lo + remaining) if lo + remaining <= limit else None
            remaining -= hi - lo
        return None

    def next_business_instant(
        self, t: datetime, *, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> datetime | None:
        """The first business instant ``>= t`` (where a ticket starts accruing), or ``None``."""
        _check_counts(0, horizon_days)
        a = _to_us(t)
        limit = a + horizon_days * _DAY_S * _US
        last = self._ordinal(_from_us(limit)) + 1
        for lo, _ in self._ordered(a, None, self._ordinal(t) - 1, last):
            return _from_us(lo) if lo <= limit else None
        return None

    # Internals ----------------------------------------------------------------------------

    def _ordinal(self, t: datetime) -> int:
        """Proleptic ordinal of the local date of ``t`` in the schedule's zone."""
        return t.astimezone(self._zone).toordinal()

    def _day(self, ordinal: int) -> tuple[_Pieces, int]:
        hit = self._days.get(ordinal)
        if hit is None:
            if len(self._days) >= _DAY_CACHE_LIMIT:
                self._days.clear()
            hit = self._days[ordinal] = self._resolve(ordinal)
        return hit

    def _utc_day(self, k: int) -> _UtcDay:
        """Business pieces of UTC day ``k`` (days since the epoch), clipped to it, as
        ``(starts, ends, before, total)``: ``before[i]`` = the length of the pieces before
        piece ``i``. Local dates ``k - 1 .. k + 1`` are the only ones whose pieces can reach
        it (offsets stay within +-16 h); pieces of different dates never overlap."""
        hit = self._utc_days.get(k)
        if hit is None:
            if len(self._utc_days) >= _DAY_CACHE_LIMIT:
                self._utc_days.clear()
            lo, hi = k * _DAY_US, (k + 1) * _DAY_US
            pieces = sorted(
                (max(p_lo, lo), min(p_hi, hi))
                for ordinal in range(_EPOCH_ORDINAL + k - 1, _EPOCH_ORDINAL + k + 2)
                for p_lo, p_hi in self._day(ordinal)[0]
                if p_lo < hi and p_hi > lo
            )
            before, total = [], 0
            for p_lo, p_hi in pieces:
                before.append(total)
                total += p_hi - p_lo
            hit = self._utc_days[k] = (
                tuple(p[0] for p in pieces),
                tuple(p[1] for p in pieces),
                tuple(before),
                total,
            )
        return hit

    def _before(self, k: int, us: int) -> int:
        """Business microseconds of UTC day ``k`` before ``us`` (inside that day or at its end)."""
        starts, ends, before, _ = self._utc_day(k)
        i = bisect.bisect_right(starts, us) - 1
        if i < 0:
            return 0
        return before[i] + min(us, ends[i]) - starts[i]

    def _resolve(self, ordinal: int) -> tuple[_Pieces, int]:
        day = date.fromordinal(ordinal)
        intervals = self.special_days.get(day)
        if intervals is None:
            intervals = self.weekly.get(day.weekday(), ())
        return _resolve_day(self.tz, intervals, ordinal) if intervals else ((), 0)

    def _total_from(self, ordinal: int, a: int) -> int:
        """Business microseconds of a local date at or after ``a``."""
        pieces, total = self._day(ordinal)
        if not pieces or pieces[0][0] >= a:
            return total
        return sum(hi - max(lo, a) for lo, hi in pieces if hi > a)

    def _ordered(self, a: int, b: int | None, first: int, last: int) -> Iterator[tuple[int, int]]:
        """Pieces of local dates ``first..last`` clipped to ``[a, b)``, in UTC order.

        A date's pieces are held until no later date can precede them: a later date's pieces
        start no earlier than its local midnight minus the largest UTC offset."""
        pending: list[tuple[int, int]] = []
        for ordinal in range(first, last + 1):
            day = [
                (max(lo, a), hi if b is None else min(hi, b))
                for lo, hi in self._day(ordinal)[0]
                if hi > a and (b is None or lo < b)
            ]
            if pending and day and day[0][0] < pending[-1][1]:
                pending = sorted(pending + day)  # clocks went back across midnight
            else:
                pending.extend(day)
            release = bisect.bisect_left(pending, (_local_midnight_us(ordinal + 1) - _MAX_US,))
            if release:
                yield from pending[:release]
                del pending[:release]
        yield from pending


# --- calendar hours -------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarHours:
    """Plain elapsed time: every instant counts. Same interface as :class:`Schedule`."""

    def is_business_time(self, t: datetime) -> bool:
        _to_us(t)
        return True

    def business_pieces(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime]]:
        a, b = _to_us(start), _to_us(end)
        return iter([(_from_us(a), _from_us(b))] if b > a else [])

    def business_seconds(self, start: datetime, end: datetime) -> int:
        a, b = _to_us(start), _to_us(end)
        return max(b - a, 0) // _US

    def add_business_seconds(
        self, start: datetime, seconds: int, *, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> datetime | None:
        _check_counts(seconds, horizon_days)
        a = _to_us(start)
        return _from_us(a + seconds * _US) if seconds <= horizon_days * _DAY_S else None

    def next_business_instant(
        self, t: datetime, *, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> datetime | None:
        _check_counts(0, horizon_days)
        return _from_us(_to_us(t))


CALENDAR_HOURS = CalendarHours()
