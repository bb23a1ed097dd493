"""SLA policies: create and revise (a new immutable version used only by later tickets, §9.5).

Only directors write. Refused with clear messages: a policy with no targets, a target under
1 minute, unknown priorities/metrics/channels, conditions naming missing rows, business-hours
targets with no calendar to count them in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from csops import permissions
from csops.clock import now_s
from csops.errors import InvalidInput, NotFound
from policies.models import (
    BusinessCalendar,
    Category,
    OrganizationSettings,
    SlaMetric,
    SlaPolicy,
    SlaPolicyTarget,
    SlaPolicyVersion,
)
from policies.models.sla import PRIORITY_CHOICES
from policies.services.calendars import effective_from_or_now
from staffing.models import Team

PRIORITIES = [p for p, _ in PRIORITY_CHOICES]
CHANNELS = ["email", "web", "phone", "chat", "api"]  # tickets.models.Channel (no upward import)


@dataclass(frozen=True)
class TargetSpec:
    priority: str
    metric: str
    minutes: int
    business: bool = True


@dataclass(frozen=True)
class PolicySpec:
    """Everything one version holds. Condition lists: empty = any."""

    targets: Sequence[TargetSpec]
    calendar: BusinessCalendar | None = None
    at_risk_fraction: Decimal = Decimal("0.25")
    teams: Sequence[int] = field(default_factory=list)
    channels: Sequence[str] = field(default_factory=list)
    priorities: Sequence[str] = field(default_factory=list)
    organizations: Sequence[int] = field(default_factory=list)
    categories: Sequence[int] = field(default_factory=list)
    effective_from: datetime | None = None


def _label(priority: str, metric: str) -> str:
    return f"{dict(PRIORITY_CHOICES).get(priority, priority)} / {SlaMetric(metric).label}"


def _check(spec: PolicySpec) -> None:
    # Organizations live in tickets (above policies): looked up by name, never imported.
    organization = apps.get_model("tickets", "Organization")
    errors: dict[str, list[str]] = {}
    targets: list[str] = []
    seen = set()
    for t in spec.targets:
        if t.priority not in PRIORITIES:
            targets.append(f"Unknown priority {t.priority!r}.")
        elif t.metric not in SlaMetric.values:
            targets.append(f"Unknown SLA metric {t.metric!r}.")
        elif (t.priority, t.metric) in seen:
            targets.append(f"{_label(t.priority, t.metric)} is given twice.")
        elif not isinstance(t.minutes, int) or t.minutes < 1:
            targets.append(f"{_label(t.priority, t.metric)}: a target must be at least 1 minute.")
        seen.add((t.priority, t.metric))
    if not spec.targets:
        targets.append("A policy needs at least one target.")
    if targets:
        errors["targets"] = targets
    if not Decimal(0) <= Decimal(spec.at_risk_fraction) <= Decimal(1):
        errors["at_risk_fraction"] = ["The at-risk fraction must lie between 0 and 1."]
    if bad := sorted(set(spec.priorities) - set(PRIORITIES)):
        errors["priorities"] = [f"Unknown priorities: {', '.join(bad)}."]
    if bad := sorted(set(spec.channels) - set(CHANNELS)):
        errors["channels"] = [f"Unknown channels: {', '.join(bad)}."]
    for name, model, ids in (
        ("teams", Team, spec.teams),
        ("organizations", organization, spec.organizations),
        ("categories", Category, spec.categories),
    ):
        found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if missing := sorted(set(ids) - found):
            errors[name] = [f"No such {name}: {', '.join(map(str, missing))}."]
    if any(t.business for t in spec.targets) and spec.calendar is None:
        default = OrganizationSettings.objects.filter(pk=1, default_calendar__isnull=False)
        if not default.exists():
            errors["calendar"] = [
                "Business-hours targets need a calendar: choose one, or set an organisation "
                "default calendar first."
            ]
    if errors:
        raise InvalidInput("The SLA policy is not valid.", fields=errors)


def _add_version(
    policy: SlaPolicy, spec: PolicySpec, *, by: User, now: datetime
) -> SlaPolicyVersion:
    _check(spec)
    last = policy.versions.aggregate(n=Max("number"))["n"] or 0
    version = SlaPolicyVersion.objects.create(
        policy=policy,
        number=last + 1,
        calendar=spec.calendar,
        at_risk_fraction=spec.at_risk_fraction,
        teams=sorted(set(spec.teams)),
        channels=sorted(set(spec.channels)),
        priorities=sorted(set(spec.priorities)),
        organizations=sorted(set(spec.organizations)),
        categories=sorted(set(spec.categories)),
        effective_from=effective_from_or_now(spec.effective_from, now),
        created_at=now,
        created_by=by,
    )
    SlaPolicyTarget.objects.bulk_create(
        SlaPolicyTarget(
            version=version,
            priority=t.priority,
            metric=t.metric,
            minutes=t.minutes,
            business=t.business,
        )
        for t in spec.targets
    )
    return version


def _check_name(name: str, exclude: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("A name is required.", fields={"name": ["Name the policy."]})
    clash = SlaPolicy.objects.filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise InvalidInput(
            f"An SLA policy named {name!r} already exists.", fields={"name": ["Already used."]}
        )
    return name


@transaction.atomic
def create_policy(
    *, by: User, name: str, spec: PolicySpec, position: int = 100, active: bool = True
) -> SlaPolicyVersion:
    """A new policy with its version 1."""
    permissions.ensure_can_manage_sla(by)
    name = _check_name(name)
    now = now_s()
    policy = SlaPolicy.objects.create(name=name, position=position, active=active, created_at=now)
    return _add_version(policy, spec, by=by, now=now)


@transaction.atomic
def revise_policy(
    policy_id: int,
    *,
    by: User,
    spec: PolicySpec,
    name: str | None = None,
    position: int | None = None,
    active: bool | None = None,
) -> SlaPolicyVersion:
    """An edit: the next version (tickets created earlier keep theirs). Name, position and
    the active switch are the policy's own and change in place: they only decide which
    policy later tickets match."""
    permissions.ensure_can_manage_sla(by)
    policy = SlaPolicy.objects.select_for_update().filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(f"SLA policy #{policy_id} does not exist.")
    if name is not None:
        policy.name = _check_name(name, exclude=policy.pk)
    if position is not None:
        policy.position = position
    if active is not None:
        policy.active = active
    policy.save(update_fields=["name", "position", "active"])
    return _add_version(policy, spec, by=by, now=now_s())
