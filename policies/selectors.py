"""Reads of calendars and SLA policies, including the two choices made at ticket creation:
the SLA policy version that matches first, and the calendar version in force (§5, §9.5, §9.19).

Rules decided here where KPI_SPEC is silent:

- Order: active policies by ``position`` (lowest first), ties by creation (id). For each
  policy only its version in force at the ticket's creation is tried (latest
  ``effective_from <= created``, ties: the higher number); a policy with no version in force
  yet is skipped. Inactive policies never match; switching one off or reordering applies to
  later tickets only (it never changes a ticket's recorded version).
- Conditions: each is a list of accepted values (team, channel, priority, customer
  organization, category); an empty list matches anything, and a ticket without a value
  (no category, a customer without an organization) matches only an empty list. All listed
  conditions must hold.
- Calendar: the policy version's calendar, else the organisation default; the version of
  that calendar in force at creation. No calendar at all: business-hours targets count
  calendar hours (``tickets.services.sla``).
"""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.db.models import Prefetch, QuerySet

from csops import memo
from policies.business_time import Schedule
from policies.models import (
    BusinessCalendar,
    CalendarVersion,
    Category,
    OrganizationSettings,
    SlaPolicy,
    SlaPolicyVersion,
)
from policies.models.sla import PRIORITY_CHOICES
from policies.sla import SlaPolicy as EnginePolicy
from policies.sla import SlaTarget
from staffing.models import Team


@memo.per_batch
def organization_settings() -> OrganizationSettings:
    """The organisation's settings row (created with defaults on first read)."""
    settings, _ = OrganizationSettings.objects.get_or_create(pk=1)
    return settings


def calendars() -> QuerySet[BusinessCalendar]:
    latest = CalendarVersion.objects.order_by("-number")
    return BusinessCalendar.objects.prefetch_related(Prefetch("versions", queryset=latest))


def sla_policies() -> QuerySet[SlaPolicy]:
    latest = SlaPolicyVersion.objects.select_related("calendar").prefetch_related("targets")
    return SlaPolicy.objects.prefetch_related(
        Prefetch("versions", queryset=latest.order_by("-number"))
    )


def latest_calendar_version(calendar_id: int) -> CalendarVersion | None:
    return CalendarVersion.objects.filter(calendar_id=calendar_id).order_by("-number").first()


def latest_policy_version(policy_id: int) -> SlaPolicyVersion | None:
    return (
        SlaPolicyVersion.objects.filter(policy_id=policy_id)
        .prefetch_related("targets")
        .order_by("-number")
        .first()
    )


@memo.per_batch
def calendar_version_at(calendar_id: int, at: datetime) -> CalendarVersion | None:
    """The version with the latest ``effective_from <= at`` (§9.19); ties: the newest."""
    return (
        CalendarVersion.objects.filter(calendar_id=calendar_id, effective_from__lte=at)
        .order_by("-effective_from", "-number")
        .first()
    )


def policy_version_at(facts: dict, at: datetime) -> SlaPolicyVersion | None:
    """The first active policy (by position) whose version in force at ``at`` matches the new
    ticket's ``facts`` (team, channel, priority, organization, category)."""
    for version in _versions_in_force(at):
        if version.matches(facts):
            return version
    return None


@memo.per_batch
def _versions_in_force(at: datetime) -> list[SlaPolicyVersion]:
    """Each active policy's version in force at ``at``, by the policies' position."""
    versions = (
        SlaPolicyVersion.objects.filter(policy__active=True, effective_from__lte=at)
        .select_related("policy")
        .order_by("policy__position", "policy_id", "-effective_from", "-number")
    )
    seen: set[int] = set()
    found = []
    for version in versions:
        if version.policy_id in seen:
            continue  # an older version of a policy already decided
        seen.add(version.policy_id)
        found.append(version)
    return found


def calendar_version_for(
    policy_version: SlaPolicyVersion | None, at: datetime
) -> CalendarVersion | None:
    """The schedule a new ticket uses: its policy's calendar, else the organisation default."""
    calendar_id = policy_version.calendar_id if policy_version is not None else None
    if calendar_id is None:
        calendar_id = organization_settings().default_calendar_id
    if calendar_id is None:
        return None
    return calendar_version_at(calendar_id, at)


def engine_policy(version: SlaPolicyVersion) -> EnginePolicy:
    """A stored version as the pure engine's ``policies.sla.SlaPolicy``."""
    targets: dict[str, dict[str, SlaTarget]] = {}
    for row in version.targets.all():
        targets.setdefault(row.priority, {})[row.metric] = SlaTarget(row.minutes, row.business)
    return EnginePolicy(
        id=version.policy_id,
        version=version.number,
        at_risk_fraction=version.at_risk_fraction,
        targets=targets,
    )


def schedule_for(version: CalendarVersion | None) -> Schedule | None:
    return version.schedule() if version is not None else None


# tickets.models.Channel's labels (tickets sits above policies: no upward import).
CHANNEL_LABELS = {
    "email": "Email",
    "web": "Web form",
    "phone": "Phone",
    "chat": "Chat",
    "api": "API",
}


def condition_labels(version: SlaPolicyVersion) -> dict[str, str]:
    """A version's conditions as names for the pages ("any" when empty)."""
    # Organizations live in tickets (above policies): looked up by name, never imported.
    organization = apps.get_model("tickets", "Organization")
    named = {
        "teams": dict(Team.objects.filter(pk__in=version.teams).values_list("pk", "name")),
        "organizations": dict(
            organization.objects.filter(pk__in=version.organizations).values_list("pk", "name")
        ),
        "categories": dict(
            Category.objects.filter(pk__in=version.categories).values_list("pk", "name")
        ),
    }
    labels = {
        name: ", ".join(names.get(pk, f"#{pk}") for pk in getattr(version, name)) or "any"
        for name, names in named.items()
    }
    labels["channels"] = ", ".join(CHANNEL_LABELS.get(c, c) for c in version.channels) or "any"
    priorities = dict(PRIORITY_CHOICES)
    labels["priorities"] = ", ".join(priorities.get(p, p) for p in version.priorities) or "any"
    return labels
