"""Permission matrix rows for the SLA policy and calendar pages and API: staff read,
directors (and admins) write; a refused write changes nothing."""

from __future__ import annotations

from policies.models import (
    BusinessCalendar,
    CalendarVersion,
    OrganizationSettings,
    SlaPolicy,
    SlaPolicyVersion,
)
from tests.matrix import Row, api_staff, staff
from tests.policies.sla_builders import make_calendar, make_policy

WRITE = {"director": 302, "admin": 302}
API_WRITE = {"director": 200, "admin": 200}


def policy_kwargs(ctx) -> dict:
    ctx["policy"] = make_policy(ctx["users"]["director"]).policy
    return {"pk": ctx["policy"].pk}


def calendar_kwargs(ctx) -> dict:
    ctx["calendar"] = make_calendar(ctx["users"]["director"]).calendar
    return {"pk": ctx["calendar"].pk}


def policies_snapshot(ctx):
    return (
        list(SlaPolicy.objects.values_list("name", "position", "active")),
        SlaPolicyVersion.objects.count(),
    )


def calendars_snapshot(ctx):
    return (BusinessCalendar.objects.count(), CalendarVersion.objects.count())


def settings_snapshot(ctx):
    return list(OrganizationSettings.objects.values_list("default_calendar", "reporting_time_zone"))


def policy_form(ctx) -> dict:
    return {
        "name": "Matrix policy",
        "position": 5,
        "active": "on",
        "at_risk_fraction": "0.25",
        "t_normal_first_reply": 30,
    }


def calendar_form(ctx) -> dict:
    return {"name": "Matrix calendar", "time_zone": "Europe/Berlin", "monday": "09:00-17:00"}


ROWS: dict[str, Row] = {
    "policies:sla-policy-list": Row("get", staff(200)),
    "policies:sla-policy-detail": Row("get", staff(200), kwargs=policy_kwargs),
    "policies:sla-policy-new": Row(
        "post", staff(403, **WRITE), data=policy_form, snapshot=policies_snapshot
    ),
    "policies:sla-policy-edit": Row(
        "post",
        staff(403, **WRITE),
        kwargs=policy_kwargs,
        data=policy_form,
        snapshot=policies_snapshot,
    ),
    "policies:calendar-list": Row("get", staff(200)),
    "policies:calendar-detail": Row("get", staff(200), kwargs=calendar_kwargs),
    "policies:calendar-new": Row(
        "post", staff(403, **WRITE), data=calendar_form, snapshot=calendars_snapshot
    ),
    "policies:calendar-edit": Row(
        "post",
        staff(403, **WRITE),
        kwargs=calendar_kwargs,
        data=calendar_form,
        snapshot=calendars_snapshot,
    ),
    "policies:calendar-settings": Row(
        "post",
        staff(403, **WRITE),
        data=lambda ctx: {"reporting_time_zone": "Europe/Paris"},
        snapshot=settings_snapshot,
    ),
    "policies-api:sla-policy-list": Row(
        "post",
        api_staff(403, director=201, admin=201),
        data=lambda ctx: {
            "name": "API policy",
            "targets": [
                {"priority": "high", "metric": "first_reply", "minutes": 15, "business": False}
            ],
        },
        snapshot=policies_snapshot,
        content_type="application/json",
    ),
    "policies-api:sla-policy-detail": Row(
        "patch",
        api_staff(403, **API_WRITE),
        kwargs=policy_kwargs,
        data=lambda ctx: {"position": 7},
        snapshot=policies_snapshot,
        content_type="application/json",
    ),
    "policies-api:calendar-list": Row(
        "post",
        api_staff(403, director=201, admin=201),
        data=lambda ctx: {
            "name": "API calendar",
            "time_zone": "Asia/Tokyo",
            "weekly": {"monday": "09:00-18:00"},
        },
        snapshot=calendars_snapshot,
        content_type="application/json",
    ),
    "policies-api:calendar-detail": Row(
        "put",
        api_staff(403, **API_WRITE),
        kwargs=calendar_kwargs,
        data=lambda ctx: {"time_zone": "Asia/Tokyo", "weekly": {"tuesday": "08:00-16:00"}},
        snapshot=calendars_snapshot,
        content_type="application/json",
    ),
}
