"""The reporting time zone (KPI_SPEC.md §1, §9.15, §9.22) and the days it defines.

The zone is the organisation setting ``OrganizationSettings.reporting_time_zone`` (read at
most every ``TTL`` seconds per process). Changing it requires ``rebuild_kpis`` (§9.19:
rebucket everything).
"""

from __future__ import annotations

import time as time_
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


TTL = 30.0
_current: tuple[float, ZoneInfo] | None = None


def reporting_zone() -> ZoneInfo:
    global _current
    now = time_.monotonic()
    if _current is None or now - _current[0] > TTL:
        from policies.models import OrganizationSettings

        name = (
            OrganizationSettings.objects.filter(pk=1)
            .values_list("reporting_time_zone", flat=True)
            .first()
        )
        _current = (now, _zone(name or settings.TIME_ZONE))
    return _current[1]


def clear_cache() -> None:
    global _current
    _current = None


def day_of(instant: datetime) -> date:
    """The local date of an instant in the reporting zone."""
    return instant.astimezone(reporting_zone()).date()


def day_start(day: date) -> datetime:
    """The first instant whose local date is ``day`` (UTC), §9.15 (may be after 00:00)."""
    local = datetime.combine(day, time(0), tzinfo=reporting_zone()).astimezone(UTC)
    while day_of(local) < day:  # local midnight skipped by a DST change
        local += timedelta(minutes=15)
    while day_of(local - timedelta(minutes=15)) == day:
        local -= timedelta(minutes=15)
    return local


def week_start(day: date) -> date:
    """The Monday of the ISO week containing ``day`` (§9.22)."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def bucket_end(bucket: date, grain: str) -> date:
    """The last day of the day, ISO week or month that ``bucket`` starts (§9.22)."""
    if grain == "week":
        return bucket + timedelta(days=6)
    if grain == "month":
        return (bucket.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return bucket
