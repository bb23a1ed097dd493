"""The demo's business calendar and SLA policies, and the choice each seeded ticket records.

They are made through the policies services, then dated back to ``since`` (the day before the
seeded history starts): the demo department has had them all along, so every seeded ticket
carries the policy and calendar versions in force at its creation (§5, §9.5, §9.19) and its
clocks, breaches and attainment show real values. Nothing else is back-dated: a version a
director adds later still applies only from then on.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User

from policies.models import BusinessCalendar, CalendarVersion, SlaPolicy, SlaPolicyVersion
from policies.selectors import organization_settings
from policies.services import calendars
from policies.services import sla as sla_policies
from policies.services.sla import PolicySpec, TargetSpec

ZONE = "America/New_York"
WEEKDAYS_8_TO_18 = {day: [[8 * 60, 18 * 60]] for day in range(5)}
METRICS = ("first_reply", "next_reply", "periodic_update", "requester_wait", "agent_work")
# Business-hours minutes per priority, in METRICS order.
TARGETS = {
    "urgent": (30, 60, 2 * 60, 8 * 60, 4 * 60),
    "high": (2 * 60, 4 * 60, 8 * 60, 16 * 60, 8 * 60),
    "normal": (4 * 60, 8 * 60, 16 * 60, 40 * 60, 16 * 60),
    "low": (8 * 60, 16 * 60, 24 * 60, 80 * 60, 30 * 60),
}
# Live chat is answered around the clock: calendar minutes (first reply, next reply).
CHAT_TARGETS = {"urgent": (2, 3), "high": (3, 5), "normal": (5, 5), "low": (10, 10)}


def ensure_demo_sla(director: User, *, since: datetime) -> bool:
    """Create the calendar and the two policies once, in force from ``since``; True if they
    were created now (an existing calendar or policy is left as it is)."""
    if BusinessCalendar.objects.exists() or SlaPolicy.objects.exists():
        return False
    version = calendars.create_calendar(
        by=director, name="Support hours (New York)", time_zone=ZONE, weekly=WEEKDAYS_8_TO_18
    )
    calendars.update_organization_settings(
        by=director, default_calendar=version.calendar, reporting_time_zone=ZONE
    )
    standard = [
        TargetSpec(priority, metric, minutes)
        for priority, by_metric in TARGETS.items()
        for metric, minutes in zip(METRICS, by_metric, strict=True)
    ]
    chat = [
        TargetSpec(priority, metric, minutes, business=False)
        for priority, by_metric in CHAT_TARGETS.items()
        for metric, minutes in zip(METRICS[:2], by_metric, strict=True)
    ]
    sla_policies.create_policy(
        by=director,
        name="Live chat",
        position=10,
        spec=PolicySpec(targets=chat, channels=["chat"], calendar=version.calendar),
    )
    sla_policies.create_policy(
        by=director, name="Standard support", spec=PolicySpec(targets=standard)
    )
    BusinessCalendar.objects.update(created_at=since)
    CalendarVersion.objects.update(created_at=since, effective_from=since)
    SlaPolicy.objects.update(created_at=since)
    SlaPolicyVersion.objects.update(created_at=since, effective_from=since)
    return True


@dataclass(frozen=True)
class _Version:
    effective_from: int  # epoch seconds
    pk: int
    calendar_id: int | None
    row: SlaPolicyVersion


class SlaChooser:
    """``policies.selectors.policy_version_at`` and ``calendar_version_for`` for many new
    tickets at once: the versions are read once, each choice is a few comparisons."""

    def __init__(self, org_of: Mapping[int, int | None]) -> None:
        self.org_of = org_of
        versions = SlaPolicyVersion.objects.filter(policy__active=True).order_by(
            "policy__position", "policy_id", "effective_from", "number"
        )
        by_policy: dict[int, list[_Version]] = {}
        for v in versions:
            by_policy.setdefault(v.policy_id, []).append(
                _Version(int(v.effective_from.timestamp()), v.pk, v.calendar_id, v)
            )
        self.policies = [([v.effective_from for v in vs], vs) for vs in by_policy.values()]
        self.default_calendar = organization_settings().default_calendar_id
        spans: dict[int, list[tuple[int, int]]] = {}
        for cv in CalendarVersion.objects.order_by("calendar_id", "effective_from", "number"):
            spans.setdefault(cv.calendar_id, []).append((int(cv.effective_from.timestamp()), cv.pk))
        self.calendars = {c: ([s for s, _ in v], [pk for _, pk in v]) for c, v in spans.items()}

    def choose(
        self, at: int, *, team: int, channel: str, priority: str, requester: int, category
    ) -> tuple[int | None, int | None]:
        """(policy version id, calendar version id) recorded on a ticket created at ``at``."""
        facts = {
            "team": team,
            "channel": channel,
            "priority": priority,
            "organization": self.org_of.get(requester),
            "category": category,
        }
        version = None
        for starts, versions in self.policies:
            i = bisect_right(starts, at)
            if i and versions[i - 1].row.matches(facts):
                version = versions[i - 1]
                break
        calendar = version.calendar_id if version and version.calendar_id else None
        calendar = calendar or self.default_calendar
        calendar_version = None
        if calendar is not None:
            starts, pks = self.calendars.get(calendar, ([], []))
            i = bisect_right(starts, at)
            calendar_version = pks[i - 1] if i else None
        return (version.pk if version else None), calendar_version
