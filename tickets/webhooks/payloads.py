"""What a webhook says about each event: one small function per source. Plain JSON values
only (they are stored on ``WebhookEvent.payload`` and sent as they are)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from policies.ticket_log import RESOLVED
from tickets.models import Incident, Ticket, TicketEvent
from tickets.models.events import ActorRole
from tickets.models.events import EventType as LogType
from tickets.webhooks.models import EventType


def _link(name: str, pk: int) -> str:
    return settings.CSOPS_PUBLIC_URL.rstrip("/") + reverse(name, args=[pk])


def type_of(event: TicketEvent) -> str | None:
    """The webhook event a ticket log entry is, or None for entries not sent (internal notes,
    checklist ticks, macros: their visible effects are entries of their own)."""
    if event.type == LogType.CREATED:
        return EventType.TICKET_CREATED
    if event.type == LogType.ESCALATED:
        return EventType.ESCALATION_RAISED
    if event.type == LogType.PUBLIC_REPLY:
        if event.actor_role == ActorRole.CUSTOMER:
            return EventType.CUSTOMER_REPLIED
        return EventType.TICKET_UPDATED
    if event.type == LogType.STATUS_CHANGED:
        frm, to = event.data.get("from"), event.data.get("to")
        if to in RESOLVED and frm not in RESOLVED:
            return EventType.TICKET_SOLVED
        return EventType.TICKET_UPDATED
    if event.type in (
        LogType.ASSIGNED, LogType.PRIORITY_CHANGED, LogType.TAGS_CHANGED, LogType.CATEGORY_CHANGED
    ):  # fmt: skip
        return EventType.TICKET_UPDATED
    return None


def ticket(t: Ticket) -> dict:
    return {
        "id": t.pk,
        "subject": t.subject,
        "status": t.status,
        "priority": t.priority,
        "channel": t.channel,
        "team": t.team_id,
        "assignee": t.assignee_id,
        "url": _link("tickets:ticket-detail", t.pk),
    }


def ticket_event(t: Ticket, event: TicketEvent) -> dict:
    entry = {
        "seq": event.pk,
        "type": event.type,
        "at": event.at.isoformat(),
        "actor_role": event.actor_role,
        "actor": event.actor.get_username() if event.actor is not None else None,
        "customer": event.customer_id,
        "data": event.data,
    }
    if event.type == LogType.PUBLIC_REPLY:
        entry["body"] = event.body
    return {"ticket": ticket(t), "log_entry": entry}


def incident(i: Incident, **change: object) -> dict:
    return {
        "incident": {
            "id": i.pk,
            "title": i.title,
            "severity": i.severity,
            "state": i.state,
            "team": i.team_id,
            "customer_update": i.customer_update,
            "declared_at": i.declared_at.isoformat(),
            "resolved_at": i.resolved_at.isoformat() if i.resolved_at else None,
            "url": _link("tickets:incident-detail", i.pk),
        },
        "change": change,
    }


def sla_alert(t: Ticket, *, metric: str, index: int, kind: str, at) -> dict:
    """An SLA target of a ticket crossed its at-risk or due time (the SLA monitor)."""
    return {"ticket": ticket(t), "sla": {"metric": metric, "index": index, "kind": kind,
                                         "at": at.isoformat()}}  # fmt: skip


def survey_answer(t: Ticket, response) -> dict:
    """A customer answered (or changed their answer to) the satisfaction survey."""
    return {
        "ticket": ticket(t),
        "survey": {
            "response": response.pk,
            "scale": response.scale,
            "rating": response.rating,
            "positive": response.positive,
            "nps": response.nps,
            "comment": response.comment,
            "submitted_at": response.submitted_at.isoformat(),
            "agent": response.agent_id,
            "team": response.team_id,
        },
    }
