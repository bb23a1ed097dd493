"""Business calendars: create, revise (a new immutable version), organisation settings.

Only directors write (``csops.permissions.ensure_can_manage_sla``). A version takes effect at
``effective_from`` (default: now), never before its save time (§9.19), so a change applies to
tickets created from then on and never rewrites a ticket's clocks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from csops import permissions
from csops.clock import now_s
from csops.errors import InvalidInput, NotFound
from policies.business_time import validate_special_days, validate_timezone, validate_weekly
from policies.models import BusinessCalendar, CalendarVersion, OrganizationSettings

Spans = Sequence[Sequence[int]]


def effective_from_or_now(effective_from: datetime | None, now: datetime) -> datetime:
    """``effective_from`` checked against the save time (§9.19); None means now."""
    if effective_from is None:
        return now
    if effective_from < now:
        raise InvalidInput(
            "A new version cannot take effect in the past.",
            fields={"effective_from": ["Choose a time from now on, or leave it empty for now."]},
        )
    return effective_from.replace(microsecond=0)


def _validated(
    time_zone: str, weekly: Mapping[int, Spans], holidays: Mapping[date, Spans]
) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    checks: tuple[tuple[str, Callable[[], object]], ...] = (
        ("time_zone", lambda: validate_timezone(time_zone)),
        ("weekly", lambda: validate_weekly(weekly)),
        ("holidays", lambda: validate_special_days(holidays)),
    )
    for field, check in checks:
        try:
            check()
        except ValueError as exc:
            errors[field] = [str(exc)]
    if errors:
        raise InvalidInput("The calendar is not valid.", fields=errors)
    stored_weekly = {
        str(d): sorted([list(i) for i in spans]) for d, spans in weekly.items() if spans
    }
    stored_holidays = {d.isoformat(): sorted([list(i) for i in s]) for d, s in holidays.items()}
    return stored_weekly, stored_holidays


def _add_version(
    calendar: BusinessCalendar,
    *,
    by: User,
    time_zone: str,
    weekly: Mapping[int, Spans],
    holidays: Mapping[date, Spans],
    effective_from: datetime | None,
    now: datetime,
) -> CalendarVersion:
    stored_weekly, stored_holidays = _validated(time_zone, weekly, holidays)
    last = calendar.versions.aggregate(n=Max("number"))["n"] or 0
    return CalendarVersion.objects.create(
        calendar=calendar,
        number=last + 1,
        time_zone=time_zone,
        weekly=stored_weekly,
        holidays=stored_holidays,
        effective_from=effective_from_or_now(effective_from, now),
        created_at=now,
        created_by=by,
    )


@transaction.atomic
def create_calendar(
    *,
    by: User,
    name: str,
    time_zone: str,
    weekly: Mapping[int, Spans],
    holidays: Mapping[date, Spans] | None = None,
    effective_from: datetime | None = None,
) -> CalendarVersion:
    """A new calendar with its version 1."""
    permissions.ensure_can_manage_sla(by)
    name = name.strip()
    if not name:
        raise InvalidInput("A name is required.", fields={"name": ["Name the calendar."]})
    if BusinessCalendar.objects.filter(name__iexact=name).exists():
        raise InvalidInput(
            f"A calendar named {name!r} already exists.", fields={"name": ["Already used."]}
        )
    now = now_s()
    calendar = BusinessCalendar.objects.create(name=name, created_at=now)
    return _add_version(
        calendar,
        by=by,
        time_zone=time_zone,
        weekly=weekly,
        holidays=holidays or {},
        effective_from=effective_from,
        now=now,
    )


@transaction.atomic
def revise_calendar(
    calendar_id: int,
    *,
    by: User,
    time_zone: str,
    weekly: Mapping[int, Spans],
    holidays: Mapping[date, Spans] | None = None,
    effective_from: datetime | None = None,
) -> CalendarVersion:
    """An edit: the next immutable version (the row lock serialises concurrent edits)."""
    permissions.ensure_can_manage_sla(by)
    calendar = BusinessCalendar.objects.select_for_update().filter(pk=calendar_id).first()
    if calendar is None:
        raise NotFound(f"Calendar #{calendar_id} does not exist.")
    return _add_version(
        calendar,
        by=by,
        time_zone=time_zone,
        weekly=weekly,
        holidays=holidays or {},
        effective_from=effective_from,
        now=now_s(),
    )


@transaction.atomic
def update_organization_settings(
    *, by: User, default_calendar: BusinessCalendar | None, reporting_time_zone: str
) -> OrganizationSettings:
    """Set the default calendar and the reporting zone (stored explicitly, §1, §9.19)."""
    permissions.ensure_can_manage_sla(by)
    try:
        validate_timezone(reporting_time_zone)
    except ValueError as exc:
        raise InvalidInput(str(exc), fields={"reporting_time_zone": [str(exc)]}) from None
    settings, _ = OrganizationSettings.objects.select_for_update().get_or_create(pk=1)
    settings.default_calendar = default_calendar
    settings.reporting_time_zone = reporting_time_zone
    settings.updated_at = now_s()
    settings.save()
    return settings
