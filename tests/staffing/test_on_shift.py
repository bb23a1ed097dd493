"""Who is on shift at an instant (routing asks ``staffing.schedules.selectors.on_shift``):
shifts in the organisation's zone, overnight shifts, time off and training blocks."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from staffing.schedules import coverage

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 2026-12-07
MON_1000_BERLIN = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_person_without_shifts_is_on_shift_and_one_with_shifts_only_inside_them():
    shifts = [
        coverage.ShiftSpec(1, 0, time(9), time(17)),  # Monday 09-17: on
        coverage.ShiftSpec(2, 0, time(11), time(19)),  # Monday 11-19: not yet
        coverage.ShiftSpec(2, 1, time(9), time(17)),  # and Tuesday
    ]
    got = coverage.on_shift({1, 2, 3}, shifts, [], MON_1000_BERLIN, BERLIN)
    assert got == {1, 3}


def test_shift_times_are_read_in_the_zone_given():
    shifts = [coverage.ShiftSpec(1, 0, time(9, 30), time(17))]
    # 09:00 UTC is 10:00 in Berlin (inside) but 09:00 in UTC (before 09:30)
    assert coverage.on_shift({1}, shifts, [], MON_1000_BERLIN, BERLIN) == {1}
    assert coverage.on_shift({1}, shifts, [], MON_1000_BERLIN, UTC) == set()


def test_overnight_shift_covers_the_small_hours_of_the_next_day_and_sunday_runs_into_monday():
    sunday_night = [coverage.ShiftSpec(1, 6, time(22), time(6))]
    monday_0500 = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
    monday_0600 = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # the end is exclusive
    assert coverage.on_shift({1}, sunday_night, [], monday_0500, UTC) == {1}
    assert coverage.on_shift({1}, sunday_night, [], monday_0600, UTC) == set()


def test_time_off_or_training_takes_a_person_off_even_without_shifts():
    at = MON_1000_BERLIN
    blocks = [
        coverage.BlockSpec(1, datetime(2026, 12, 7, 8, 0, tzinfo=UTC), at),  # ended: on
        coverage.BlockSpec(2, at, datetime(2026, 12, 7, 12, 0, tzinfo=UTC)),  # started: off
    ]
    shifts = [coverage.ShiftSpec(2, 0, time(0), time(23))]
    assert coverage.on_shift({1, 2, 3}, shifts, blocks, at, BERLIN) == {1, 3}
