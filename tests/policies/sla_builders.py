"""Builders for SLA tests: calendars and policies made through the services, as a director."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from policies.models import BusinessCalendar, CalendarVersion, SlaPolicyVersion
from policies.services import calendars as calendar_services
from policies.services import sla as sla_services
from policies.services.sla import PolicySpec, TargetSpec

WEEKDAYS_9_TO_17 = {day: [(540, 1020)] for day in range(5)}


def make_calendar(
    by,
    name: str = "Office",
    *,
    time_zone: str = "Europe/Berlin",
    weekly: Mapping[int, list] | None = None,
    holidays: Mapping[date, list] | None = None,
) -> CalendarVersion:
    return calendar_services.create_calendar(
        by=by,
        name=name,
        time_zone=time_zone,
        weekly=weekly or WEEKDAYS_9_TO_17,
        holidays=holidays or {},
    )


def targets(spec: Mapping[str, Mapping[str, int]], *, business: bool = False) -> list[TargetSpec]:
    """``{"normal": {"first_reply": 60}}`` -> target specs (calendar hours by default)."""
    return [
        TargetSpec(priority, metric, minutes, business)
        for priority, by_metric in spec.items()
        for metric, minutes in by_metric.items()
    ]


def make_policy(
    by,
    name: str = "Standard",
    *,
    spec: Mapping[str, Mapping[str, int]] | None = None,
    business: bool = False,
    calendar: BusinessCalendar | None = None,
    position: int = 100,
    active: bool = True,
    at_risk_fraction: str = "0.25",
    teams: Iterable[int] = (),
    channels: Iterable[str] = (),
    priorities: Iterable[str] = (),
    organizations: Iterable[int] = (),
    categories: Iterable[int] = (),
) -> SlaPolicyVersion:
    return sla_services.create_policy(
        by=by,
        name=name,
        position=position,
        active=active,
        spec=PolicySpec(
            targets=targets(spec or {"normal": {"first_reply": 60}}, business=business),
            calendar=calendar,
            at_risk_fraction=Decimal(at_risk_fraction),
            teams=list(teams),
            channels=list(channels),
            priorities=list(priorities),
            organizations=list(organizations),
            categories=list(categories),
        ),
    )
