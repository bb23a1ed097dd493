"""Reads of schedules: a team's pattern and scheduled agents per half hour of a week."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo

from staffing.models import Team
from staffing.schedules import coverage
from staffing.schedules.models import Block, Shift


def team_shifts(team: Team):
    return (
        Shift.objects.filter(team=team)
        .select_related("user")
        .order_by("user__first_name", "user__username", "weekday", "start")
    )


def scheduled_agents(team: Team, monday: date, zone: tzinfo) -> list[int]:
    """Scheduled agents of ``team`` per half hour of the week starting ``monday``."""
    shifts = [
        coverage.ShiftSpec(u, d, s, e)
        for u, d, s, e in Shift.objects.filter(team=team).values_list(
            "user_id", "weekday", "start", "end"
        )
    ]
    if not shifts:
        return [0] * coverage.SLOTS
    start = datetime.combine(monday, time(0), tzinfo=zone)
    blocks = [
        coverage.BlockSpec(u, a, b)
        for u, a, b in Block.objects.filter(
            user_id__in={s.user_id for s in shifts},
            starts_at__lt=start + timedelta(days=8),
            ends_at__gt=start,
        ).values_list("user_id", "starts_at", "ends_at")
    ]
    return coverage.scheduled(shifts, blocks, monday, zone)


def on_shift(user_ids: Iterable[int], at: datetime, *, team_id: int, zone: tzinfo) -> set[int]:
    """The people of ``user_ids`` on shift for ``team_id`` at ``at`` (shift times are clock
    times in ``zone``, the organisation's reporting zone, as on the planning page). Routing
    asks here. Two indexed queries whatever the number of people."""
    people = set(user_ids)
    if not people:
        return set()
    shifts = [
        coverage.ShiftSpec(u, d, s, e)
        for u, d, s, e in Shift.objects.filter(team_id=team_id, user_id__in=people).values_list(
            "user_id", "weekday", "start", "end"
        )
    ]
    blocks = [
        coverage.BlockSpec(u, a, b)
        for u, a, b in Block.objects.filter(
            user_id__in=people, starts_at__lte=at, ends_at__gt=at
        ).values_list("user_id", "starts_at", "ends_at")
    ]
    return coverage.on_shift(people, shifts, blocks, at, zone)
