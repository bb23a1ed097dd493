"""A ticket's SLA: choose the versions at creation and re-evaluate after every action (the
monitor that records crossings is ``tickets.services.sla_monitor``). The clocks themselves
are the one pure engine, ``policies.sla.evaluate``; nothing here computes elapsed or due time.

Rules decided here where KPI_SPEC is silent:

- Stored instances are the engine's result at ``as_of`` = the action's instant (§9.4). Outcome
  and state "now" are derived on read from the stored projections (``due_at``,
  ``at_risk_at``), which assume no further events; the workspace panel and the API evaluate
  the engine afresh at ``now``.
- A ticket whose policy has business-hours targets but no calendar version in force at its
  creation (no calendar yet, or its first version starts later) counts them in calendar hours.
- ``Ticket.next_sla_due_at`` = the engine's ``next_due`` (earliest projected due time of
  active, not yet breached instances) at the latest action; it stays in the past once passed,
  so "next SLA due" sorts overdue tickets first. Paused clocks do not count.
- Breach records (§9.20) keep the first instant recorded for (ticket, metric, instance); both
  the recompute and the monitor write them with ON CONFLICT DO NOTHING.
- Every writer that appends ticket events must call ``refresh(ticket, at)`` in its
  transaction; the monitor re-evaluates a row older than the ticket's last change before it
  alerts, as a safety net.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import prefetch_related_objects

from csops import memo
from policies import selectors as policy_selectors
from policies.business_time import CALENDAR_HOURS, Hours
from policies.models import CalendarVersion, SlaPolicyVersion
from policies.sla import SlaInstance, evaluate, next_due
from policies.sla import SlaPolicy as EnginePolicy
from tickets.models import Ticket, TicketEvent, TicketSlaBreach, TicketSlaInstance

# --- creation -------------------------------------------------------------------------------


def versions_for_new_ticket(
    *,
    team_id: int,
    channel: str,
    priority: str,
    organization_id: int | None,
    category_id: int | None,
    at: datetime,
) -> dict[str, SlaPolicyVersion | CalendarVersion | None]:
    """The ``Ticket`` fields recording the policy version that matches first and the calendar
    version in force at ``at`` (§5, §9.5, §9.19)."""
    facts = {
        "team": team_id,
        "channel": channel,
        "priority": priority,
        "organization": organization_id,
        "category": category_id,
    }
    policy_version = policy_selectors.policy_version_at(facts, at)
    return {
        "sla_policy_version": policy_version,
        "calendar_version": policy_selectors.calendar_version_for(policy_version, at),
    }


# --- evaluation -----------------------------------------------------------------------------


def evaluate_ticket(
    ticket: Ticket, as_of: datetime, *, events: Iterable[TicketEvent] | None = None
) -> list[SlaInstance]:
    """The engine's instances for one ticket at ``as_of`` (empty without a policy).

    ``events``: the ticket's whole log when the caller has already read it (the workspace),
    else it is read here. Versions are immutable, so ones loaded with the ticket
    (``select_related``) are used as they are."""
    if ticket.sla_policy_version_id is None:
        return []
    loaded = ticket.sla_policy_version if Ticket.sla_policy_version.is_cached(ticket) else None
    if loaded is not None:
        prefetch_related_objects([loaded], "targets")
        policy = policy_selectors.engine_policy(loaded)
    else:
        policy = _engine_policy(ticket.sla_policy_version_id)
    if not ticket.calendar_version_id:
        schedule: Hours = CALENDAR_HOURS
    elif Ticket.calendar_version.is_cached(ticket) and ticket.calendar_version is not None:
        schedule = ticket.calendar_version.schedule()
    else:
        schedule = _schedule(ticket.calendar_version_id)
    log = sorted(events, key=lambda e: e.pk) if events is not None else ticket.events.order_by("pk")
    return evaluate([e.as_log_event() for e in log], policy, schedule, as_of)


@memo.per_batch
def _engine_policy(version_id: int) -> EnginePolicy:
    version = SlaPolicyVersion.objects.prefetch_related("targets").get(pk=version_id)
    return policy_selectors.engine_policy(version)


@memo.per_batch
def _schedule(calendar_version_id: int) -> Hours:
    return CalendarVersion.objects.get(pk=calendar_version_id).schedule()


def _row(ticket: Ticket, inst: SlaInstance, as_of: datetime) -> TicketSlaInstance:
    return TicketSlaInstance(
        ticket_id=ticket.pk,
        metric=inst.metric,
        index=inst.index,
        activated_at=inst.activated_at,
        ended_at=inst.ended_at,
        end_reason=inst.end_reason or "",
        target_minutes=inst.target_minutes,
        business=inst.business,
        elapsed_seconds=inst.elapsed_seconds,
        due_at=inst.due_at,
        breached_at=inst.breached_at,
        at_risk_at=inst.at_risk_at,
        outcome=inst.outcome,
        state=inst.state,
        trail=[
            {"at": e.at.isoformat(), "action": e.action, "reason": e.reason} for e in inst.trail
        ],
        calendar_version_id=ticket.calendar_version_id,
        evaluated_at=as_of,
    )


_UPDATED = [
    "activated_at",
    "ended_at",
    "end_reason",
    "target_minutes",
    "business",
    "elapsed_seconds",
    "due_at",
    "breached_at",
    "at_risk_at",
    "outcome",
    "state",
    "trail",
    "calendar_version",
    "evaluated_at",
]


def refresh(ticket: Ticket, as_of: datetime) -> list[TicketSlaInstance]:
    """Re-evaluate and store the ticket's instances, breach records and next due time.
    Called by every ticket service inside its transaction, after the action's events."""
    instances = evaluate_ticket(ticket, as_of)
    rows = [_row(ticket, i, as_of) for i in instances]
    if rows:
        TicketSlaInstance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["ticket", "metric", "index"],
            update_fields=_UPDATED,
        )
    keep = {(r.metric, r.index) for r in rows}
    stale = [
        pk
        for pk, metric, index in TicketSlaInstance.objects.filter(ticket=ticket).values_list(
            "pk", "metric", "index"
        )
        if (metric, index) not in keep
    ]
    if stale:  # e.g. a priority change left an instance with no target and no breach
        TicketSlaInstance.objects.filter(pk__in=stale).delete()
    breaches = [
        TicketSlaBreach(ticket=ticket, metric=i.metric, index=i.index, breached_at=i.breached_at)
        for i in instances
        if i.breached_at is not None
    ]
    if breaches:
        TicketSlaBreach.objects.bulk_create(breaches, ignore_conflicts=True)
    due = next_due(instances)
    if due != ticket.next_sla_due_at:
        Ticket.objects.filter(pk=ticket.pk).update(next_sla_due_at=due)
        ticket.next_sla_due_at = due
    return rows
