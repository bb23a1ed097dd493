"""Escalation use cases: a rep escalates; the target team's managers (or directors) accept,
resolve or return it. Automatic rules live in ``escalation_rules`` and are re-exported here
(``apply_rules`` is what the SLA monitor, the customer-reply path, the urgent-no-reply task
and, later, the CSAT survey call).

Rules decided here (the spec is silent):
- "Next tier" moves the ticket to the chosen higher-tier team (``assigned`` event with the
  team, assignee cleared), so that team's managers and reps can work it. "Manager" keeps the
  ticket in its team; its managers handle the escalation.
- The ``escalated`` event carries the target tier (the team's tier for a manager escalation)
  and the reason as "<category>: <text>".
- Only an unresolved ticket can be escalated; a ticket has at most one open/accepted
  escalation (a partial unique constraint backs the check).
- Resolve needs an accepted escalation; return works from open or accepted, needs guidance,
  hands the ticket back to the raising rep's team and assigns the rep, and logs the guidance
  as an internal note; resolving with a note logs it the same way.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from csops import permissions
from csops.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from csops.notify import notify
from staffing.models import Team
from tickets import events
from tickets.chat import services as chat
from tickets.models import (
    Escalation,
    EscalationCategory,
    EscalationRule,
    EscalationState,
    EscalationTarget,
    Status,
    Ticket,
    TicketEvent,
)
from tickets.models.escalations import ACTIVE_STATES
from tickets.services.actions import (
    action_time,
    check_version,
    open_if_new,
    record,
    save_ticket,
)
from tickets.services.escalation_rules import apply_rules

__all__ = [
    "accept",
    "apply_rules",
    "escalate",
    "next_tier_teams",
    "resolve",
    "return_to_rep",
    "save_rule",
]


def next_tier_teams(team: Team):
    """Teams above ``team``'s tier, lowest tier first: the choices for "next tier"."""
    return Team.objects.filter(tier__gt=team.tier).order_by("tier", "name")


def _validate(category: str, reason: str) -> str:
    errors: dict[str, list[str]] = {}
    reason = reason.strip()
    if not reason:
        errors["reason"] = ["Say why the ticket needs escalating."]
    if category not in EscalationCategory.values:
        errors["category"] = ["Choose a category."]
    if errors:
        raise InvalidInput("The escalation is missing required fields.", fields=errors)
    return reason


def _target_team(ticket: Ticket, target: str, to_team: Team | None) -> Team:
    if target == EscalationTarget.MANAGER:
        return ticket.team
    if target != EscalationTarget.TIER:
        raise InvalidInput("Choose a target.", fields={"target": ["Unknown target."]})
    if to_team is None:
        to_team = next_tier_teams(ticket.team).first()
        if to_team is None:
            raise InvalidInput(
                f"There is no team above {ticket.team}'s tier; escalate to a manager instead.",
                fields={"to_team": ["No higher tier exists."]},
            )
    elif to_team.pk == ticket.team_id:
        raise InvalidInput(
            f"{to_team} cannot escalate to itself; choose a higher tier or its managers.",
            fields={"to_team": ["A team cannot escalate to itself."]},
        )
    elif to_team.tier <= ticket.team.tier:
        raise InvalidInput(
            f"{to_team} is not above tier {ticket.team.tier}.",
            fields={"to_team": ["Choose a team of a higher tier."]},
        )
    return to_team


def open_escalation(
    ticket: Ticket,
    at: datetime,
    *,
    by: User | None,
    target: str,
    to_team: Team,
    category: str,
    reason: str,
    rule=None,
) -> tuple[Escalation, list[TicketEvent]]:
    """Create the record and return the log entries (ticket locked by the caller, who saves
    the ticket and appends the events)."""
    if target == EscalationTarget.TIER and to_team.pk == ticket.team_id:
        raise InvalidInput(
            f"{to_team} cannot escalate to itself.",
            fields={"to_team": ["A team cannot escalate to itself."]},
        )
    if target == EscalationTarget.MANAGER and to_team.pk != ticket.team_id:
        raise InvalidInput(
            "A manager escalation goes to the managers of the ticket's own team.",
            fields={"target": ["Choose the next tier to hand the ticket to another team."]},
        )
    active = Escalation.objects.filter(ticket=ticket, state__in=ACTIVE_STATES).first()
    if active is not None:
        raise Conflict(f"Ticket #{ticket.pk} already has an open escalation (#{active.pk}).")
    label = EscalationCategory(category).label
    log = [events.escalated(ticket, at, by, to_team.tier, f"{label}: {reason}")]
    escalation = Escalation.objects.create(
        ticket=ticket,
        from_team=ticket.team,
        to_team=to_team,
        to_tier=to_team.tier,
        target=target,
        raised_by=by,
        rule=rule,
        category=category,
        reason=reason,
        created_at=at,
    )
    if to_team.pk != ticket.team_id:
        log.append(events.assigned(ticket, at, by, None, to_team.pk))
        ticket.team, ticket.assignee = to_team, None
    chat.record_escalation(escalation)
    notify(
        to_team.managers.all(),
        key=f"escalation:{escalation.pk}:opened",
        text=f"Ticket #{ticket.pk} escalated to the {escalation.destination} ({label}): {reason}"
        if target == EscalationTarget.MANAGER
        else f"Ticket #{ticket.pk} escalated to {to_team} ({label}): {reason}",
        url=reverse("tickets:escalation-board"),
    )
    return escalation, log


@transaction.atomic
def escalate(
    ticket_id: int,
    *,
    by: User,
    target: str,
    category: str,
    reason: str,
    to_team: Team | None = None,
    expected_version: int | None = None,
) -> Escalation:
    """A rep (or manager) hands the ticket up: to the next tier's team or to a manager."""
    ticket = permissions.access_ticket(by, ticket_id, for_update=True)
    check_version(ticket, expected_version)
    reason = _validate(category, reason)
    if ticket.status not in (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD):
        raise InvalidTransition("Only an unresolved ticket can be escalated.")
    team = _target_team(ticket, target, to_team)
    at = action_time(ticket)
    log = open_if_new(ticket, at, by)
    escalation, more = open_escalation(
        ticket, at, by=by, target=target, to_team=team, category=category, reason=reason
    )
    save_ticket(ticket, at, ["status", "team", "assignee"])
    record(ticket, at, log + more)
    return escalation


def _lock_for_handling(escalation_id: int, by: User, what: str) -> Escalation:
    escalation = permissions.access_escalation(by, escalation_id, for_update=True)
    if not permissions.can_handle_team(by, escalation.to_team_id):
        raise NotAllowed(f"Only {escalation.to_team}'s managers or a director may {what}.")
    return escalation


def _note(ticket_id: int, at: datetime, by: User, body: str, **changes) -> None:
    """Log the handler's guidance on the ticket (and apply a hand-back) as one action."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    if ticket.status == Status.CLOSED:
        return
    at = max(at, action_time(ticket))
    log = open_if_new(ticket, at, by)
    if "team" in changes:
        team, assignee = changes["team"], changes["assignee"]
        if team.pk != ticket.team_id or getattr(assignee, "pk", None) != ticket.assignee_id:
            log.append(
                events.assigned(
                    ticket,
                    at,
                    by,
                    getattr(assignee, "pk", None),
                    team.pk if team.pk != ticket.team_id else None,
                )
            )
            ticket.team, ticket.assignee = team, assignee
    if body:
        log.append(events.internal_note(ticket, at, by, body))
    if not log:
        return
    save_ticket(ticket, at, ["status", "team", "assignee"])
    record(ticket, at, log)


@transaction.atomic
def accept(escalation_id: int, *, by: User) -> Escalation:
    escalation = _lock_for_handling(escalation_id, by, "accept this escalation")
    if escalation.state != EscalationState.OPEN:
        raise InvalidTransition(f"Escalation #{escalation.pk} is {escalation.state}, not open.")
    escalation.state, escalation.owner, escalation.accepted_at = "accepted", by, action_time()
    escalation.save(update_fields=["state", "owner", "accepted_at"])
    return escalation


@transaction.atomic
def resolve(escalation_id: int, *, by: User, guidance: str = "") -> Escalation:
    escalation = _lock_for_handling(escalation_id, by, "resolve this escalation")
    if escalation.state != EscalationState.ACCEPTED:
        raise InvalidTransition("Accept the escalation before resolving it.")
    at = action_time()
    escalation.state, escalation.resolved_at = EscalationState.RESOLVED, at
    escalation.guidance = guidance.strip()
    escalation.save(update_fields=["state", "resolved_at", "guidance"])
    note = f"Escalation resolved: {escalation.guidance}" if escalation.guidance else ""
    _note(escalation.ticket_id, at, by, note)
    return escalation


@transaction.atomic
def return_to_rep(escalation_id: int, *, by: User, guidance: str) -> Escalation:
    escalation = _lock_for_handling(escalation_id, by, "return this escalation")
    if escalation.state not in ACTIVE_STATES:
        raise InvalidTransition(f"Escalation #{escalation.pk} is already {escalation.state}.")
    guidance = guidance.strip()
    if not guidance:
        raise InvalidInput(
            "Guidance is required when returning an escalation.",
            fields={"guidance": ["Tell the rep what to do next."]},
        )
    at = action_time()
    if escalation.owner_id is None:
        escalation.owner = by
    escalation.state, escalation.returned_at, escalation.guidance = "returned", at, guidance
    escalation.save(update_fields=["state", "owner", "returned_at", "guidance"])
    rep = escalation.raised_by
    if rep is not None and not permissions.can_work_team(rep, escalation.from_team_id):
        rep = None
    _note(
        escalation.ticket_id,
        at,
        by,
        f"Escalation returned: {guidance}",
        team=escalation.from_team,
        assignee=rep,
    )
    if rep is not None:
        notify(
            [rep],
            key=f"escalation:{escalation.pk}:returned",
            text=f"Escalation of ticket #{escalation.ticket_id} returned: {guidance}",
            url=reverse("tickets:ticket-detail", args=[escalation.ticket_id]),
        )
    return escalation


@transaction.atomic
def save_rule(rule: EscalationRule, *, by: User) -> EscalationRule:
    """Create or update an automatic rule (directors). Validation is the form's/serializer's;
    the database constraint backs the minutes rule."""
    if not permissions.can_manage_escalation_rules(by):
        raise NotAllowed("Only directors manage escalation rules.")
    now = action_time()
    if rule.pk is None:
        rule.created_by, rule.created_at = by, now
    rule.updated_at = now
    rule.save()
    return rule
