"""Business-time arithmetic (KPI_SPEC §3, §9.6, §9.18, §9.19): hand-worked values, then a
seeded cross-check against a minute-stepping reference. Pure: no Django, no database.

Transition facts used below (tzdata):
- America/New_York 2025: Sun 9 Mar 02:00 EST -> 03:00 EDT at 07:00Z; Sun 2 Nov 02:00 EDT ->
  01:00 EST at 06:00Z. EST = UTC-5, EDT = UTC-4.
- Europe/Berlin 2025: Sun 30 Mar 02:00 CET -> 03:00 CEST at 01:00Z; Sun 26 Oct 03:00 CEST ->
  02:00 CET at 01:00Z.
- Europe/London 2025: Sun 30 Mar 01:00 GMT -> 02:00 BST at 01:00Z.
- America/Goose_Bay 2008: Sun 2 Nov 00:01 ADT -> Sat 1 Nov 23:01 AST at 03:01Z (the local date
  goes back).
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import random
import re
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from policies.business_time import (
    CALENDAR_HOURS,
    Schedule,
    format_minute,
    split_overnight,
    validate_intervals,
    weekly_from_shifts,
)

NY = "America/New_York"
MON_FRI_9_17 = {day: [(540, 1020)] for day in range(5)}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(tz: str, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz), fold=fold)


def pieces(schedule: Schedule, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    return list(schedule.business_pieces(start, end))


# --- DST -------------------------------------------------------------------------------------


def test_monday_after_spring_change_opens_at_13z_not_14z():
    # given Mon-Fri 09:00-17:00 in New York
    schedule = Schedule(NY, MON_FRI_9_17)
    # when / then: Friday before the change is EST, Monday after it EDT
    assert pieces(schedule, utc(2025, 3, 7), utc(2025, 3, 8)) == [
        (utc(2025, 3, 7, 14), utc(2025, 3, 7, 22))
    ]
    assert pieces(schedule, utc(2025, 3, 10), utc(2025, 3, 11)) == [
        (utc(2025, 3, 10, 13), utc(2025, 3, 10, 21))
    ]
    assert schedule.business_seconds(utc(2025, 3, 7), utc(2025, 3, 11)) == 2 * 8 * 3600
    assert schedule.is_business_time(utc(2025, 3, 10, 12, 59, 59)) is False
    assert schedule.is_business_time(utc(2025, 3, 10, 13)) is True
    assert schedule.is_business_time(utc(2025, 3, 10, 20, 59, 59)) is True
    assert schedule.is_business_time(utc(2025, 3, 10, 21)) is False


def test_nine_to_five_lasts_eight_hours_on_both_transition_days():
    # given Sundays 09:00-17:00 in New York
    schedule = Schedule(NY, {6: [(540, 1020)]})
    # when / then
    assert pieces(schedule, utc(2025, 3, 9), utc(2025, 3, 10)) == [
        (utc(2025, 3, 9, 13), utc(2025, 3, 9, 21))
    ]
    assert pieces(schedule, utc(2025, 11, 2), utc(2025, 11, 3)) == [
        (utc(2025, 11, 2, 14), utc(2025, 11, 2, 22))
    ]
    assert schedule.business_seconds(utc(2025, 3, 9), utc(2025, 3, 10)) == 28_800
    assert schedule.business_seconds(utc(2025, 11, 2), utc(2025, 11, 3)) == 28_800


@pytest.mark.parametrize(
    ("_case", "interval", "day", "expected"),
    [
        (
            "whole day, spring: 23 h",
            (0, 1440),
            date(2025, 3, 9),
            [(utc(2025, 3, 9, 5), utc(2025, 3, 10, 4))],
        ),
        (
            "whole day, ordinary: 24 h",
            (0, 1440),
            date(2025, 3, 16),
            [(utc(2025, 3, 16, 4), utc(2025, 3, 17, 4))],
        ),
        (
            "whole day, fall: 25 h",
            (0, 1440),
            date(2025, 11, 2),
            [(utc(2025, 11, 2, 4), utc(2025, 11, 3, 5))],
        ),
        (
            "01-03 holds the skipped hour: 1 h",
            (60, 180),
            date(2025, 3, 9),
            [(utc(2025, 3, 9, 6), utc(2025, 3, 9, 7))],
        ),
        (
            "01-03 ordinary Sunday: 2 h",
            (60, 180),
            date(2025, 3, 16),
            [(utc(2025, 3, 16, 5), utc(2025, 3, 16, 7))],
        ),
        (
            "01-03 holds the repeated hour: 3 h",
            (60, 180),
            date(2025, 11, 2),
            [(utc(2025, 11, 2, 5), utc(2025, 11, 2, 8))],
        ),
        (
            "start in skipped hour -> transition instant",
            (150, 300),
            date(2025, 3, 9),
            [(utc(2025, 3, 9, 7), utc(2025, 3, 9, 9))],
        ),
        ("wholly skipped hour: nothing", (120, 180), date(2025, 3, 9), []),
        (
            "start in repeated hour: both occurrences",
            (90, 300),
            date(2025, 11, 2),
            [
                (utc(2025, 11, 2, 5, 30), utc(2025, 11, 2, 6)),
                (utc(2025, 11, 2, 6, 30), utc(2025, 11, 2, 10)),
            ],
        ),
        (
            "end in repeated hour: both occurrences",
            (0, 90),
            date(2025, 11, 2),
            [
                (utc(2025, 11, 2, 4), utc(2025, 11, 2, 5, 30)),
                (utc(2025, 11, 2, 6), utc(2025, 11, 2, 6, 30)),
            ],
        ),
    ],
)
def test_new_york_sunday_interval_resolves_to_exact_utc_pieces(_case, interval, day, expected):
    # given a Sunday-only schedule in New York
    schedule = Schedule(NY, {6: [interval]})
    start = datetime.combine(day, datetime.min.time(), UTC)
    # when
    got = pieces(schedule, start, start + timedelta(days=2))
    seconds = schedule.business_seconds(start, start + timedelta(days=2))
    # then
    assert got == expected
    assert seconds == sum(int((hi - lo).total_seconds()) for lo, hi in expected)


def test_repeated_hour_membership_follows_the_wall_clock():
    # given Sunday 01:30-05:00 in New York; 01:00-01:30 happens twice on 2 Nov 2025
    schedule = Schedule(NY, {6: [(90, 300)]})
    # when / then
    assert schedule.is_business_time(local(NY, 2025, 11, 2, 1, 15, fold=0)) is False  # 05:15Z
    assert schedule.is_business_time(local(NY, 2025, 11, 2, 1, 45, fold=0)) is True  # 05:45Z
    assert schedule.is_business_time(local(NY, 2025, 11, 2, 1, 15, fold=1)) is False  # 06:15Z
    assert schedule.is_business_time(local(NY, 2025, 11, 2, 1, 45, fold=1)) is True  # 06:45Z
    assert schedule.business_seconds(utc(2025, 11, 2), utc(2025, 11, 3)) == 4 * 3600


@pytest.mark.parametrize(
    ("_case", "interval", "day", "expected"),
    [
        (
            "whole day, spring: 23 h",
            (0, 1440),
            date(2025, 3, 30),
            [(utc(2025, 3, 29, 23), utc(2025, 3, 30, 22))],
        ),
        (
            "whole day, fall: 25 h",
            (0, 1440),
            date(2025, 10, 26),
            [(utc(2025, 10, 25, 22), utc(2025, 10, 26, 23))],
        ),
        ("02-03 is skipped", (120, 180), date(2025, 3, 30), []),
        (
            "02-03 happens twice",
            (120, 180),
            date(2025, 10, 26),
            [(utc(2025, 10, 26, 0), utc(2025, 10, 26, 2))],
        ),
        (
            "09-17 is 8 h",
            (540, 1020),
            date(2025, 10, 26),
            [(utc(2025, 10, 26, 8), utc(2025, 10, 26, 16))],
        ),
    ],
)
def test_berlin_sunday_interval_resolves_to_exact_utc_pieces(_case, interval, day, expected):
    # given a Sunday-only schedule in Berlin
    schedule = Schedule("Europe/Berlin", {6: [interval]})
    start = datetime.combine(day, datetime.min.time(), UTC) - timedelta(days=1)
    # when
    got = pieces(schedule, start, start + timedelta(days=3))
    # then
    assert got == expected


def test_london_monday_after_spring_change_opens_at_08z():
    # given Mon-Fri 09:00-17:00 in London
    schedule = Schedule("Europe/London", MON_FRI_9_17)
    # when / then
    assert pieces(schedule, utc(2025, 3, 28), utc(2025, 3, 29)) == [
        (utc(2025, 3, 28, 9), utc(2025, 3, 28, 17))
    ]
    assert pieces(schedule, utc(2025, 3, 31), utc(2025, 4, 1)) == [
        (utc(2025, 3, 31, 8), utc(2025, 3, 31, 16))
    ]


def test_add_business_seconds_across_the_spring_weekend():
    # given Mon-Fri 09:00-17:00 in New York and Friday 16:00 EST (21:00Z)
    schedule = Schedule(NY, MON_FRI_9_17)
    # when 2 h are added
    due = schedule.add_business_seconds(utc(2025, 3, 7, 21), 7200)
    # then 1 h on Friday, 1 h on Monday from 09:00 EDT: 10:00 EDT = 14:00Z
    assert due == utc(2025, 3, 10, 14)


def test_local_date_going_back_keeps_pieces_in_utc_order():
    # given Sat 23:00-24:00 and Sun 00:00-00:30 in Goose Bay, where 2 Nov 2008 00:01 ADT was
    # followed by 1 Nov 23:01 AST: Saturday's 23:01-24:00 happens again after Sunday 00:00
    schedule = Schedule("America/Goose_Bay", {5: [(1380, 1440)], 6: [(0, 30)]})
    # when
    got = pieces(schedule, utc(2008, 11, 2), utc(2008, 11, 2, 6))
    due = schedule.add_business_seconds(utc(2008, 11, 2, 2), 3630)
    # then Sat 02:00Z-03:00Z, Sun 03:00Z-03:01Z, Sat 03:01Z-04:00Z, Sun 04:00Z-04:30Z join up
    assert got == [(utc(2008, 11, 2, 2), utc(2008, 11, 2, 4, 30))]
    assert schedule.business_seconds(utc(2008, 11, 2), utc(2008, 11, 2, 6)) == 9000
    assert due == utc(2008, 11, 2, 3, 0, 30)


def test_skipped_local_date_has_no_business_time():
    # given Fridays 09:00-17:00 in Apia, which skipped Friday 30 Dec 2011
    schedule = Schedule("Pacific/Apia", {4: [(540, 1020)]})
    # when / then
    assert schedule.business_seconds(utc(2011, 12, 26), utc(2012, 1, 2)) == 0
    assert schedule.business_seconds(utc(2011, 12, 19), utc(2011, 12, 26)) == 28_800


# --- holidays, split and overnight shifts ----------------------------------------------------


def test_full_holiday_is_closed_all_day():
    # given Mon-Fri 09:00-17:00 in New York with Thursday 25 Dec 2025 closed
    schedule = Schedule(NY, MON_FRI_9_17, special_days={date(2025, 12, 25): ()})
    # when / then
    assert pieces(schedule, utc(2025, 12, 24), utc(2025, 12, 27)) == [
        (utc(2025, 12, 24, 14), utc(2025, 12, 24, 22)),
        (utc(2025, 12, 26, 14), utc(2025, 12, 26, 22)),
    ]
    assert schedule.business_seconds(utc(2025, 12, 24), utc(2025, 12, 27)) == 57_600
    assert schedule.is_business_time(utc(2025, 12, 25, 15)) is False
    assert schedule.add_business_seconds(utc(2025, 12, 24, 21), 7200) == utc(2025, 12, 26, 15)


def test_partial_holiday_replaces_the_weekday_intervals():
    # given Wed 24 Dec 2025 open 09:00-13:00 only, and Sat 27 Dec open 10:00-14:00
    schedule = Schedule(
        NY,
        MON_FRI_9_17,
        special_days={date(2025, 12, 24): [(540, 780)], date(2025, 12, 27): [(600, 840)]},
    )
    # when / then
    assert pieces(schedule, utc(2025, 12, 24), utc(2025, 12, 28)) == [
        (utc(2025, 12, 24, 14), utc(2025, 12, 24, 18)),
        (utc(2025, 12, 25, 14), utc(2025, 12, 25, 22)),
        (utc(2025, 12, 26, 14), utc(2025, 12, 26, 22)),
        (utc(2025, 12, 27, 15), utc(2025, 12, 27, 19)),
    ]
    assert schedule.business_seconds(utc(2025, 12, 24), utc(2025, 12, 28)) == 86_400
    assert schedule.is_business_time(utc(2025, 12, 24, 19)) is False


def test_split_shift_lunch_break_is_not_counted():
    # given Monday 09:00-12:00 and 13:00-17:00 in New York, Mon 6 Jan 2025 (EST)
    schedule = Schedule(NY, {0: [(780, 1020), (540, 720)]})
    # when / then
    assert pieces(schedule, utc(2025, 1, 6), utc(2025, 1, 7)) == [
        (utc(2025, 1, 6, 14), utc(2025, 1, 6, 17)),
        (utc(2025, 1, 6, 18), utc(2025, 1, 6, 22)),
    ]
    assert schedule.business_seconds(utc(2025, 1, 6, 16, 30), utc(2025, 1, 6, 18, 30)) == 3600
    assert schedule.add_business_seconds(utc(2025, 1, 6, 16), 3600) == utc(2025, 1, 6, 17)
    assert schedule.add_business_seconds(utc(2025, 1, 6, 16), 7200) == utc(2025, 1, 6, 19)


def test_overnight_shift_counts_across_midnight():
    # given a Friday 22:00-06:00 shift in New York
    weekly = weekly_from_shifts([(4, 1320, 360)])
    schedule = Schedule(NY, weekly)
    # when / then: Fri 10 Jan 2025 22:00 EST = Sat 03:00Z to Sat 06:00 EST = 11:00Z, one piece
    assert weekly == {4: ((1320, 1440),), 5: ((0, 360),)}
    assert pieces(schedule, utc(2025, 1, 10), utc(2025, 1, 13)) == [
        (utc(2025, 1, 11, 3), utc(2025, 1, 11, 11))
    ]
    assert schedule.business_seconds(utc(2025, 1, 10), utc(2025, 1, 13)) == 28_800
    assert schedule.is_business_time(local(NY, 2025, 1, 11, 5, 59)) is True
    assert schedule.is_business_time(local(NY, 2025, 1, 11, 6, 0)) is False


def test_weekly_from_shifts_wraps_sunday_night_into_monday():
    # given / when
    weekly = weekly_from_shifts([(6, 1320, 360), (0, 540, 1020)])
    # then
    assert weekly == {0: ((0, 360), (540, 1020)), 6: ((1320, 1440),)}


def test_weekly_from_shifts_refuses_an_overnight_overlap():
    # given Monday 22:00-06:00 and Tuesday 05:00-10:00 / when / then
    with pytest.raises(
        ValueError, match="^Tuesday: Intervals 00:00–06:00 and 05:00–10:00 overlap.$"
    ):
        weekly_from_shifts([(0, 1320, 360), (1, 300, 600)])


# --- accrual and projection ------------------------------------------------------------------


def test_ticket_created_saturday_night_accrues_from_monday_morning():
    # given Mon-Fri 09:00-17:00 in New York and a ticket created Sat 11 Jan 2025 23:00 EST
    schedule = Schedule(NY, MON_FRI_9_17)
    created = local(NY, 2025, 1, 11, 23, 0)
    # when / then
    assert schedule.next_business_instant(created) == utc(2025, 1, 13, 14)
    assert schedule.business_seconds(created, local(NY, 2025, 1, 13, 8, 30)) == 0
    assert schedule.business_seconds(created, local(NY, 2025, 1, 13, 10, 15)) == 4500
    assert schedule.add_business_seconds(created, 3600) == utc(2025, 1, 13, 15)
    assert schedule.add_business_seconds(created, 0) == utc(2025, 1, 12, 4)


@pytest.mark.parametrize(
    ("_case", "start", "seconds", "expected"),
    [
        (
            "exactly a day from opening -> 17:00 Wednesday",
            utc(2025, 1, 8, 14),
            28_800,
            utc(2025, 1, 8, 22),
        ),
        (
            "one second more -> Thursday 09:00:01",
            utc(2025, 1, 8, 14),
            28_801,
            utc(2025, 1, 9, 14, 0, 1),
        ),
        ("from 15:00, 2 h -> 17:00 Wednesday", utc(2025, 1, 8, 20), 7200, utc(2025, 1, 8, 22)),
        (
            "from after hours, 1 s -> Thursday 09:00:01",
            utc(2025, 1, 8, 23),
            1,
            utc(2025, 1, 9, 14, 0, 1),
        ),
        (
            "from Friday 07:00, 5 days -> 17:00 next Thursday",
            utc(2025, 1, 10, 12),
            144_000,
            utc(2025, 1, 16, 22),
        ),
        ("zero seconds -> start, even after hours", utc(2025, 1, 11, 4), 0, utc(2025, 1, 11, 4)),
    ],
)
def test_add_business_seconds_lands_on_interval_end_when_reached_there(
    _case, start, seconds, expected
):
    # given Mon-Fri 09:00-17:00 in New York (January: EST, 09:00 = 14:00Z)
    schedule = Schedule(NY, MON_FRI_9_17)
    # when
    due = schedule.add_business_seconds(start, seconds)
    # then
    assert due == expected
    assert schedule.business_seconds(start, due) == seconds


def test_add_business_seconds_beyond_the_horizon_returns_none():
    # given one business minute a week: Monday 09:00-09:01 in New York, from Mon 6 Jan 2025 09:00
    schedule = Schedule(NY, {0: [(540, 541)]})
    start = utc(2025, 1, 6, 14)
    # when / then: the 58th minute is on Mon 9 Feb 2026, 399 days later
    assert schedule.add_business_seconds(start, 58 * 60) == utc(2026, 2, 9, 14, 1)
    # the 59th is on Mon 16 Feb 2026 at 14:01Z, 406 days and 60 s later
    assert schedule.add_business_seconds(start, 59 * 60) is None
    assert schedule.add_business_seconds(start, 59 * 60, horizon_days=406) is None
    assert schedule.add_business_seconds(start, 59 * 60, horizon_days=407) == utc(
        2026, 2, 16, 14, 1
    )
    assert schedule.next_business_instant(utc(2025, 1, 6, 14, 1), horizon_days=6) is None
    assert schedule.next_business_instant(utc(2025, 1, 6, 14, 1), horizon_days=7) == utc(
        2025, 1, 13, 14
    )


def test_year_with_federal_holidays_totals_250_working_days():
    # given Mon-Fri 09:00-17:00 in New York with the 11 weekday federal holidays of 2025
    holidays = [
        date(2025, 1, 1), date(2025, 1, 20), date(2025, 2, 17), date(2025, 5, 26),
        date(2025, 6, 19), date(2025, 7, 4), date(2025, 9, 1), date(2025, 10, 13),
        date(2025, 11, 11), date(2025, 11, 27), date(2025, 12, 25),
    ]  # fmt: skip
    schedule = Schedule(NY, MON_FRI_9_17, special_days={day: () for day in holidays})
    start, end = local(NY, 2025, 1, 1), local(NY, 2026, 1, 1)
    # when
    total = schedule.business_seconds(start, end)
    due = schedule.add_business_seconds(start, total)
    # then 2025 has 261 weekdays; minus 11 holidays = 250 days of 8 h; the last ends 17:00 EST
    assert total == 250 * 8 * 3600
    assert due == utc(2025, 12, 31, 22)
    assert len(pieces(schedule, start, end)) == 250


# --- zone, precision, calendar hours ---------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "tz", "open_at_1730z", "seconds_15z_to_23z"),
    [
        ("New York: 12:30 local", NY, True, 25_200),
        ("Berlin: 18:30 local", "Europe/Berlin", False, 3600),
        ("Tokyo: 02:30 Tuesday", "Asia/Tokyo", False, 0),
    ],
)
def test_schedule_zone_decides(_case, tz, open_at_1730z, seconds_15z_to_23z):
    # given the same Mon-Fri 09:00-17:00 in different zones, Monday 6 Jan 2025
    schedule = Schedule(tz, MON_FRI_9_17)
    # when / then: the caller's zone does not matter, only the instant
    assert schedule.is_business_time(utc(2025, 1, 6, 17, 30)) is open_at_1730z
    assert schedule.is_business_time(local("Asia/Kolkata", 2025, 1, 6, 23, 0)) is open_at_1730z
    assert schedule.business_seconds(utc(2025, 1, 6, 15), utc(2025, 1, 6, 23)) == seconds_15z_to_23z


def test_sub_second_instants_are_measured_exactly_and_floored():
    # given Mon-Fri 09:00-17:00 in New York
    schedule = Schedule(NY, MON_FRI_9_17)
    half_past = utc(2025, 1, 6, 14, 0, 0, 500_000)
    # when / then
    assert schedule.business_seconds(half_past, utc(2025, 1, 6, 15)) == 3599
    assert schedule.add_business_seconds(half_past, 3600) == utc(2025, 1, 6, 15, 0, 0, 500_000)


def test_empty_or_reversed_span_has_no_business_time():
    # given
    schedule = Schedule(NY, MON_FRI_9_17)
    # when / then
    assert schedule.business_seconds(utc(2025, 1, 6, 16), utc(2025, 1, 6, 16)) == 0
    assert schedule.business_seconds(utc(2025, 1, 6, 16), utc(2025, 1, 6, 15)) == 0
    assert pieces(schedule, utc(2025, 1, 6, 16), utc(2025, 1, 6, 15)) == []


def test_outputs_are_utc():
    # given
    schedule = Schedule(NY, MON_FRI_9_17)
    # when
    [(lo, hi)] = pieces(schedule, local(NY, 2025, 1, 6), local(NY, 2025, 1, 7))
    due = schedule.add_business_seconds(local(NY, 2025, 1, 6, 9), 60)
    # then
    assert (lo.tzinfo, hi.tzinfo, due.tzinfo) == (UTC, UTC, UTC)
    assert (lo, hi, due) == (utc(2025, 1, 6, 14), utc(2025, 1, 6, 22), utc(2025, 1, 6, 14, 1))


def test_calendar_hours_count_every_instant():
    # given the spring-forward night in New York, which is 24 h of elapsed time in UTC terms
    start, end = local(NY, 2025, 3, 9, 0, 0), local(NY, 2025, 3, 10, 0, 0)
    # when / then: the local day lasts 23 h
    assert CALENDAR_HOURS.business_seconds(start, end) == 82_800
    assert CALENDAR_HOURS.business_seconds(end, start) == 0
    assert list(CALENDAR_HOURS.business_pieces(start, end)) == [
        (utc(2025, 3, 9, 5), utc(2025, 3, 10, 4))
    ]
    assert list(CALENDAR_HOURS.business_pieces(end, start)) == []
    assert CALENDAR_HOURS.is_business_time(start) is True
    assert CALENDAR_HOURS.add_business_seconds(start, 3600) == utc(2025, 3, 9, 6)
    assert CALENDAR_HOURS.add_business_seconds(start, 400 * 86_400) == utc(2026, 4, 13, 5)
    assert CALENDAR_HOURS.add_business_seconds(start, 400 * 86_400 + 1) is None
    assert CALENDAR_HOURS.next_business_instant(start) == utc(2025, 3, 9, 5)


@pytest.mark.parametrize(
    ("_case", "hours", "expected_seconds", "expected_due"),
    [
        ("calendar", CALENDAR_HOURS, 36_000, utc(2025, 1, 10, 23)),
        ("business", Schedule(NY, MON_FRI_9_17), 3600, utc(2025, 1, 13, 15)),
    ],
)
def test_calendar_and_business_hours_are_interchangeable(
    _case, hours, expected_seconds, expected_due
):
    # given Friday 10 Jan 2025 16:00 EST to Saturday 02:00 EST
    start, end = utc(2025, 1, 10, 21), utc(2025, 1, 11, 7)
    # when / then
    assert hours.business_seconds(start, end) == expected_seconds
    assert hours.add_business_seconds(start, 7200) == expected_due


# --- validation ------------------------------------------------------------------------------

EMPTY_HINT = "(split a shift that crosses midnight into two intervals)."


@pytest.mark.parametrize(
    ("_case", "intervals", "message"),
    [
        (
            "reversed",
            [(600, 540)],
            f"Interval 10:00–09:00 is empty: its start must be before its end {EMPTY_HINT}",
        ),
        (
            "zero length",
            [(540, 540)],
            f"Interval 09:00–09:00 is empty: its start must be before its end {EMPTY_HINT}",
        ),
        (
            "past 24:00",
            [(540, 1500)],
            "Interval 09:00–25:00 is out of range: times must lie between 00:00 and 24:00.",
        ),
        (
            "negative",
            [(-60, 540)],
            "Interval -01:00–09:00 is out of range: times must lie between 00:00 and 24:00.",
        ),
        ("overlap", [(660, 780), (540, 720)], "Intervals 09:00–12:00 and 11:00–13:00 overlap."),
        (
            "not minutes",
            [(540, 9.5)],
            "Interval (540, 9.5) must be a (start, end) pair of whole minutes.",
        ),
        ("not a pair", [(540,)], "Interval (540,) must be a (start, end) pair of whole minutes."),
    ],
)
def test_validate_intervals_refuses_with_a_clear_message(_case, intervals, message):
    # given / when / then
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        validate_intervals(intervals)


def test_validate_intervals_names_the_day_and_accepts_touching_intervals():
    # given / when / then
    with pytest.raises(
        ValueError, match=r"^Monday: Intervals 09:00–12:00 and 10:00–11:00 overlap\.$"
    ):
        validate_intervals([(540, 720), (600, 660)], day="Monday")
    assert validate_intervals([(0, 540), (540, 1440)]) is None
    assert validate_intervals([]) is None


@pytest.mark.parametrize(
    ("_case", "kwargs", "message"),
    [
        (
            "no weekly interval",
            {"tz": NY, "weekly": {}},
            "A schedule needs at least one weekly business interval.",
        ),
        (
            "only empty days",
            {"tz": NY, "weekly": {0: [], 6: ()}},
            "A schedule needs at least one weekly business interval.",
        ),
        (
            "unknown zone",
            {"tz": "Mars/Olympus", "weekly": MON_FRI_9_17},
            "Unknown time zone 'Mars/Olympus'.",
        ),
        (
            "server zone",
            {"tz": "localtime", "weekly": MON_FRI_9_17},
            "Unknown time zone 'localtime'.",
        ),
        (
            "weekday 7",
            {"tz": NY, "weekly": {7: [(540, 1020)]}},
            "Weekday 7 is out of range: use 0 (Monday) to 6 (Sunday).",
        ),
        (
            "overnight in one day",
            {"tz": NY, "weekly": {2: [(1320, 360)]}},
            "Wednesday: Interval 22:00–06:00 is empty: its start must be before its end "
            + EMPTY_HINT,
        ),
        (
            "bad partial day",
            {"tz": NY, "weekly": MON_FRI_9_17, "special_days": {date(2025, 12, 24): [(540, 1500)]}},
            "2025-12-24: Interval 09:00–25:00 is out of range: "
            "times must lie between 00:00 and 24:00.",
        ),
        (
            "holiday as datetime",
            {"tz": NY, "weekly": MON_FRI_9_17, "special_days": {utc(2025, 12, 24): ()}},
            "Special day datetime.datetime(2025, 12, 24, 0, 0, tzinfo=datetime.timezone.utc) "
            "must be a date.",
        ),
    ],
)
def test_invalid_schedule_is_refused(_case, kwargs, message):
    # given / when / then
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Schedule(**kwargs)


def test_naive_instants_and_negative_counts_are_refused():
    # given
    schedule = Schedule(NY, MON_FRI_9_17)
    naive = datetime(2025, 1, 6, 9, 0)  # noqa: DTZ001 - the point of the test
    message = (
        r"^Instants must be timezone-aware datetimes, got datetime\.datetime\(2025, 1, 6, 9, 0\)\.$"
    )
    # when / then
    with pytest.raises(ValueError, match=message):
        schedule.business_seconds(naive, utc(2025, 1, 7))
    with pytest.raises(ValueError, match=message):
        schedule.is_business_time(naive)
    with pytest.raises(ValueError, match=message):
        CALENDAR_HOURS.add_business_seconds(naive, 60)
    with pytest.raises(
        ValueError, match=r"^seconds must be a non-negative whole number, got -1\.$"
    ):
        schedule.add_business_seconds(utc(2025, 1, 6), -1)


@pytest.mark.parametrize(
    ("_case", "start", "end", "expected"),
    [
        ("22:00-06:00", 1320, 360, [(0, 1320, 1440), (1, 0, 360)]),
        ("22:00-24:00", 1320, 1440, [(0, 1320, 1440)]),
        ("22:00-00:00", 1320, 0, [(0, 1320, 1440)]),
        ("09:00-17:00", 540, 1020, [(0, 540, 1020)]),
        ("00:00-24:00", 0, 1440, [(0, 0, 1440)]),
    ],
)
def test_split_overnight(_case, start, end, expected):
    # given / when / then
    assert split_overnight(start, end) == expected


@pytest.mark.parametrize(
    ("_case", "start", "end", "message"),
    [
        ("zero length", 540, 540, "Shift 09:00–09:00 is empty: its start and end must differ."),
        (
            "start at 24:00",
            1440,
            60,
            "Shift 24:00–01:00 is out of range: times must lie between 00:00 and 24:00.",
        ),
    ],
)
def test_split_overnight_refuses_with_a_clear_message(_case, start, end, message):
    # given / when / then
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        split_overnight(start, end)


def test_schedule_is_normalised_immutable_and_hashable():
    # given the same rules written two ways
    a = Schedule(NY, {0: [(780, 1020), (540, 720)], 1: []}, version=3)
    b = Schedule(NY, {0: ((540, 720), (780, 1020))}, version=3)
    # when / then
    assert a == b
    assert hash(a) == hash(b)
    assert a != Schedule(NY, {0: ((540, 720), (780, 1020))}, version=4)
    assert dict(a.weekly) == {0: ((540, 720), (780, 1020))}
    with pytest.raises(TypeError):
        a.weekly[2] = ((540, 1020),)  # type: ignore[index]
    assert format_minute(1440) == "24:00"


def test_schedule_survives_pickle_copy_and_replace():
    # given
    schedule = Schedule(NY, MON_FRI_9_17, special_days={date(2025, 12, 25): ()}, version=7)
    # when
    copies = [
        pickle.loads(pickle.dumps(schedule)),
        copy.deepcopy(schedule),
        dataclasses.replace(schedule, version=8),
    ]
    # then
    assert copies[0] == schedule
    assert copies[1] == schedule
    assert copies[2].version == 8
    assert copies[2].special_days == {date(2025, 12, 25): ()}
    assert [c.business_seconds(utc(2025, 12, 24), utc(2025, 12, 27)) for c in copies] == [
        57_600,
        57_600,
        57_600,
    ]


# --- cross-check against a minute-stepping reference -----------------------------------------

# (zone, UTC start of a 6-day window holding a transition or an oddity)
CROSS_CHECK_WINDOWS = [
    ("America/New_York", utc(2025, 3, 6)),  # spring forward
    ("America/New_York", utc(2025, 10, 30)),  # fall back
    ("Europe/Berlin", utc(2025, 3, 27)),
    ("Europe/Berlin", utc(2025, 10, 23)),
    ("Europe/London", utc(2025, 3, 27)),
    ("Australia/Lord_Howe", utc(2025, 4, 3)),  # 30-minute DST end
    ("Australia/Lord_Howe", utc(2025, 10, 2)),  # 30-minute DST start
    ("America/St_Johns", utc(2025, 11, 1)),  # -03:30
    ("America/Santiago", utc(2025, 4, 3)),  # 24:00 -> 23:00 on 5 Apr
    ("America/Santiago", utc(2025, 9, 4)),  # 00:00 -> 01:00 on 7 Sep: the day starts at 01:00
    ("America/Sao_Paulo", utc(2018, 11, 1)),  # 00:00 -> 01:00
    ("America/Goose_Bay", utc(2008, 10, 30)),  # 00:01 -> 23:01 the day before
    ("Pacific/Apia", utc(2011, 12, 27)),  # 30 Dec 2011 skipped
    ("Asia/Kolkata", utc(2025, 1, 1)),  # no DST, +05:30
]
CASES_PER_WINDOW = 20


def _random_day(rng: random.Random) -> list[tuple[int, int]]:
    count = rng.choice([0, 1, 1, 2, 3])
    bounds = sorted(rng.sample(range(1441), 2 * count))
    return [(bounds[i], bounds[i + 1]) for i in range(0, 2 * count, 2)]


def _random_rules(rng: random.Random, window: datetime) -> tuple[dict, dict]:
    weekly = {day: _random_day(rng) for day in range(7)}
    if not any(weekly.values()):
        weekly[0] = [(540, 1020)]
    first = window.date()
    special_days = {
        first + timedelta(days=rng.randrange(7)): _random_day(rng) for _ in range(rng.randrange(3))
    }
    return weekly, special_days


def _reference_minutes(
    tz: str, weekly: dict, special_days: dict, start: datetime, end: datetime
) -> list[datetime]:
    """Business minutes by stepping the §3 rule: valid as every boundary here is minute-aligned."""
    zone = ZoneInfo(tz)
    found, t = [], start
    while t < end:
        wall = t.astimezone(zone)
        intervals = special_days.get(wall.date(), weekly.get(wall.weekday(), ()))
        minute = wall.hour * 60 + wall.minute
        if any(lo <= minute < hi for lo, hi in intervals):
            found.append(t)
        t += timedelta(minutes=1)
    return found


@pytest.mark.parametrize(("tz", "window"), CROSS_CHECK_WINDOWS)
def test_matches_minute_stepping_reference(tz, window):
    rng = random.Random(f"{tz}-{window.isoformat()}")
    for case in range(CASES_PER_WINDOW):
        # given a random schedule and a random minute-aligned span in the window
        weekly, special_days = _random_rules(rng, window)
        schedule = Schedule(tz, weekly, special_days)
        start = window + timedelta(minutes=rng.randrange(4 * 1440))
        span = rng.randrange(2 * 1440)
        end = start + timedelta(minutes=span)
        expected = _reference_minutes(tz, weekly, special_days, start, end)
        label = f"case {case}: {schedule!r} [{start}, {end})"
        # when
        got_pieces = list(schedule.business_pieces(start, end))
        got_minutes = [
            lo + timedelta(minutes=k)
            for lo, hi in got_pieces
            for k in range(int((hi - lo).total_seconds()) // 60)
        ]
        # then: measure, pieces, order and merging
        assert schedule.business_seconds(start, end) == 60 * len(expected), label
        assert got_minutes == expected, label
        assert all(a[1] < b[0] for a, b in pairwise(got_pieces)), label
        # then: membership at sampled instants (a minute is all business or none)
        expected_set = set(expected)
        for _ in range(40 if span else 0):
            minute = start + timedelta(minutes=rng.randrange(span))
            t = minute + timedelta(seconds=rng.randrange(60))
            assert schedule.is_business_time(t) is (minute in expected_set), f"{label} at {t}"
        # then: projection, including exact interval ends
        if expected:
            seconds = rng.choice(
                [rng.randrange(1, 60 * len(expected) + 1), 60 * rng.randrange(1, len(expected) + 1)]
            )
            whole, part = divmod(seconds, 60)
            due = (
                expected[whole - 1] + timedelta(minutes=1)
                if part == 0
                else expected[whole] + timedelta(seconds=part)
            )
            assert schedule.add_business_seconds(start, seconds) == due, f"{label} +{seconds}s"
            assert schedule.next_business_instant(start) == expected[0], label
