"""The demo's business calendar and SLA policy, made through the policies services.

They take effect when seeded (versions are never back-dated, KPI_SPEC §9.19), so tickets
created in the console from then on carry SLA clocks; the bulk-seeded history has none.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from policies.models import BusinessCalendar, SlaPolicy
from policies.services import calendars
from policies.services import sla as sla_policies
from policies.services.sla import PolicySpec, TargetSpec

ZONE = "America/New_York"
WEEKDAYS_8_TO_18 = {day: [[8 * 60, 18 * 60]] for day in range(5)}
# minutes per priority: first reply, next reply, requester wait (business hours)
TARGETS = {
    "urgent": (30, 60, 8 * 60),
    "high": (2 * 60, 4 * 60, 16 * 60),
    "normal": (4 * 60, 8 * 60, 40 * 60),
    "low": (8 * 60, 16 * 60, 80 * 60),
}


def ensure_demo_sla(director: User) -> bool:
    """Create the calendar and policy once; True if they were created now."""
    if BusinessCalendar.objects.exists() or SlaPolicy.objects.exists():
        return False
    version = calendars.create_calendar(
        by=director, name="Support hours (New York)", time_zone=ZONE, weekly=WEEKDAYS_8_TO_18
    )
    calendars.update_organization_settings(
        by=director, default_calendar=version.calendar, reporting_time_zone=ZONE
    )
    targets = [
        TargetSpec(priority, metric, minutes)
        for priority, minutes_by_metric in TARGETS.items()
        for metric, minutes in zip(
            ("first_reply", "next_reply", "requester_wait"), minutes_by_metric, strict=True
        )
    ]
    spec = PolicySpec(targets=targets, calendar=version.calendar)
    sla_policies.create_policy(by=director, name="Standard support", spec=spec)
    return True
