"""SLA reads for the queue, the workspace panel and the API.

Queue predicates use the stored projections and their partial indexes (``due_at``,
``at_risk_at`` of unfinished instances), evaluated at ``now`` (§9.4, §9.16, §9.21). The panel
evaluates the one engine afresh at ``now``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from policies.models import SlaMetric
from policies.sla import SlaInstance
from tickets.models import Ticket, TicketEvent, TicketSlaInstance
from tickets.services.sla import evaluate_ticket


def breached_exists(now: datetime) -> Exists:
    """A ticket with a breached instance that is still unfinished ("breached-active", §9.21)."""
    return Exists(
        TicketSlaInstance.objects.filter(ticket=OuterRef("pk"), ended_at__isnull=True).filter(
            Q(breached_at__isnull=False) | Q(due_at__lte=now)
        )
    )


def at_risk_exists(now: datetime) -> Exists:
    """A ticket with an unfinished instance past its at-risk instant and not yet due."""
    return Exists(
        TicketSlaInstance.objects.filter(
            ticket=OuterRef("pk"),
            ended_at__isnull=True,
            breached_at__isnull=True,
            at_risk_at__lte=now,
            due_at__gt=now,
        )
    )


@dataclass(frozen=True)
class PanelTarget:
    """One SLA instance as the workspace shows it."""

    metric: str
    label: str
    index: int
    state: str  # active | paused | met | breached | cancelled
    at_risk: bool
    target_minutes: int
    business: bool
    elapsed_minutes: int
    due_at: datetime | None
    ended_at: datetime | None
    trail: tuple
    remaining_seconds: int | None  # calendar time to due_at (negative once past); None: no due

    @property
    def countdown(self) -> str:
        return format_countdown(self.remaining_seconds)


def format_countdown(seconds: int | None) -> str:
    """Calendar time to a due instant as the panel shows it (sla.js renders the same)."""
    if seconds is None:
        return ""
    past, seconds = seconds < 0, abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        text = f"{days} d {hours} h {minutes:02d} min"
    elif hours:
        text = f"{hours} h {minutes:02d} min"
    else:
        text = f"{minutes} min {secs:02d} s"
    return f"overdue by {text}" if past else f"{text} left"


@dataclass(frozen=True)
class SlaPanel:
    policy: str | None  # "Name v2"
    calendar: str | None  # "Name v3 (Europe/Berlin)" or None (calendar hours)
    calendar_version: int | None
    targets: list[PanelTarget]
    now: datetime


def _state(inst: SlaInstance) -> str:
    if inst.outcome == "breached":
        return "breached"
    if inst.state == "fulfilled":
        return "met"
    return inst.state  # active | paused | cancelled


def sla_panel(
    ticket: Ticket, now: datetime | None = None, *, events: Iterable[TicketEvent] | None = None
) -> SlaPanel:
    """The ticket's SLA targets evaluated at ``now`` with the ticket's policy and calendar
    versions (the caller has already checked access). ``events``: the ticket's whole log if
    the caller has read it already."""
    now = (now or timezone.now()).replace(microsecond=0)
    version = ticket.sla_policy_version
    calendar = ticket.calendar_version
    targets = [
        PanelTarget(
            metric=i.metric,
            label=SlaMetric(i.metric).label,
            index=i.index,
            state=_state(i),
            at_risk=i.at_risk,
            target_minutes=i.target_minutes,
            business=i.business,
            elapsed_minutes=i.elapsed_seconds // 60,
            due_at=i.due_at,
            ended_at=i.ended_at,
            trail=i.trail,
            remaining_seconds=int((i.due_at - now).total_seconds()) if i.due_at else None,
        )
        for i in evaluate_ticket(ticket, max(now, ticket.updated_at), events=events)
    ]
    return SlaPanel(
        policy=f"{version.policy.name} v{version.number}" if version else None,
        calendar=(
            f"{calendar.calendar.name} v{calendar.number} ({calendar.time_zone})"
            if calendar
            else None
        ),
        calendar_version=calendar.number if calendar else None,
        targets=targets,
        now=now,
    )
