"""Reads for escalations and incidents (boards, metrics, the rule task), already scoped."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from csops import permissions
from tickets.models import (
    Escalation,
    Incident,
    IncidentUpdate,
    Priority,
    Ticket,
    TicketEvent,
)
from tickets.models.escalations import ACTIVE_STATES
from tickets.models.events import ActorRole, EventType
from tickets.models.incidents import ChangeKind, DeliveryState, IncidentChange, Severity
from tickets.models.tickets import Status


def board_escalations(user: User | AnonymousUser) -> QuerySet[Escalation]:
    """Escalations the user handles (target team managed), oldest first."""
    qs = Escalation.objects.select_related(
        "ticket", "to_team", "from_team", "owner", "raised_by"
    ).order_by("created_at", "pk")
    scope = permissions.managed_team_scope(user)
    return qs if scope is None else qs.filter(to_team_id__in=scope)


@dataclass(frozen=True)
class EscalationMetrics:
    open: int
    accepted: int
    resolved: int
    returned: int
    median_accept_minutes: float | None
    median_resolve_minutes: float | None


def _median_minutes(pairs: list[tuple[datetime, datetime | None]]) -> float | None:
    minutes = [(end - start).total_seconds() / 60 for start, end in pairs if end and start]
    return round(statistics.median(minutes), 1) if minutes else None


def escalation_metrics(qs: QuerySet[Escalation]) -> EscalationMetrics:
    """Counts by state and medians of time to accept / to resolve (from created_at) over
    ``qs`` (the board's filtered set). Two small queries plus the count."""
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    accepted = list(qs.filter(accepted_at__isnull=False).values_list("created_at", "accepted_at"))
    resolved = list(qs.filter(resolved_at__isnull=False).values_list("created_at", "resolved_at"))
    return EscalationMetrics(
        open=counts.get("open", 0),
        accepted=counts.get("accepted", 0),
        resolved=counts.get("resolved", 0),
        returned=counts.get("returned", 0),
        median_accept_minutes=_median_minutes(accepted),
        median_resolve_minutes=_median_minutes(resolved),
    )


def active_escalation(ticket: Ticket) -> Escalation | None:
    return (
        Escalation.objects.filter(ticket=ticket, state__in=ACTIVE_STATES)
        .select_related("to_team", "owner")
        .first()
    )


def latest_escalation(ticket: Ticket) -> Escalation | None:
    return (
        Escalation.objects.filter(ticket=ticket)
        .select_related("to_team", "owner", "raised_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def urgent_waiting(minutes: int, now: datetime) -> list[tuple[int, int, datetime]]:
    """(ticket id, customer message event id, its time) of unresolved urgent tickets whose
    latest customer message is at least ``minutes`` old with no agent reply after it."""
    last_customer = TicketEvent.objects.filter(
        ticket=OuterRef("pk"),
        actor_role=ActorRole.CUSTOMER,
        type__in=[EventType.CREATED, EventType.PUBLIC_REPLY],
    ).order_by("-pk")
    answered = TicketEvent.objects.filter(
        ticket=OuterRef("pk"),
        type=EventType.PUBLIC_REPLY,
        actor_role=ActorRole.AGENT,
        pk__gt=OuterRef("wait_event"),
    )
    qs = (
        Ticket.objects.filter(
            priority=Priority.URGENT,
            status__in=[Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD],
        )
        .annotate(
            wait_event=Subquery(last_customer.values("pk")[:1]),
            wait_since=Subquery(last_customer.values("at")[:1]),
        )
        .filter(wait_since__lte=now - timedelta(minutes=minutes))
        .exclude(Exists(answered))
        .order_by("pk")
    )
    return list(qs.values_list("pk", "wait_event", "wait_since"))


# --- Incidents ----------------------------------------------------------------------------


def incidents_for(user: User | AnonymousUser) -> QuerySet[Incident]:
    return permissions.scope_incidents(
        user,
        Incident.objects.select_related("team", "declared_by").annotate(
            linked=Count("links", distinct=True)
        ),
    )


def open_incidents_for(user: User | AnonymousUser) -> QuerySet[Incident]:
    return permissions.scope_incidents(user, Incident.objects.filter(state="open")).order_by(
        "-declared_at"
    )


@dataclass(frozen=True)
class IncidentSummary:
    linked: int
    unresolved: int
    resolved: int
    updates: int
    first_update_minutes: float | None


def incident_summary(incident: Incident) -> IncidentSummary:
    counts = Ticket.objects.filter(incidents=incident).aggregate(
        linked=Count("pk"),
        unresolved=Count("pk", filter=Q(status__in=["new", "open", "pending", "on_hold"])),
    )
    updates = list(incident.updates.order_by("posted_at").values_list("posted_at", flat=True))
    first = (updates[0] - incident.declared_at).total_seconds() / 60 if updates else None
    return IncidentSummary(
        linked=counts["linked"],
        unresolved=counts["unresolved"],
        resolved=counts["linked"] - counts["unresolved"],
        updates=len(updates),
        first_update_minutes=round(first, 1) if first is not None else None,
    )


def linked_tickets(incident: Incident) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(incidents=incident)
        .select_related("team", "assignee", "requester")
        .order_by("pk")
    )


def _edit_text(data: dict) -> str:
    parts = []
    order = ("title", "severity", "description")  # the form's order (jsonb sorts keys)
    for name in sorted(data, key=lambda n: order.index(n) if n in order else len(order)):
        before, after = data[name]
        if name == "severity":
            parts.append(f"severity {Severity(before).label} → {Severity(after).label}")
        elif name == "title":
            parts.append(f"title “{before}” → “{after}”")
        else:
            parts.append(f"{name} changed")
    return "; ".join(parts)


def _change_items(incident: Incident) -> list[dict]:
    """Edits, and unlinked tickets with the link they undid (its row is gone)."""
    changes = list(IncidentChange.objects.filter(incident=incident).select_related("by", "ticket"))
    linkers = User.objects.in_bulk(
        {c.data.get("linked_by") for c in changes if c.kind == ChangeKind.UNLINKED}
    )
    items: list[dict] = []
    for change in changes:
        if change.kind == ChangeKind.EDITED:
            items.append(
                {
                    "at": change.at,
                    "what": "Edited",
                    "who": change.by,
                    "text": _edit_text(change.data),
                }
            )
            continue
        subject = change.ticket.subject if change.ticket else "(ticket deleted)"
        number = f"#{change.ticket_id}" if change.ticket_id else "a ticket"
        linked_at = change.data.get("linked_at")
        if linked_at:
            items.append(
                {
                    "at": datetime.fromisoformat(linked_at),
                    "what": f"Linked {number}",
                    "who": linkers.get(change.data.get("linked_by")),
                    "text": subject,
                }
            )
        items.append(
            {"at": change.at, "what": f"Unlinked {number}", "who": change.by, "text": subject}
        )
    return items


def timeline(incident: Incident) -> list[dict]:
    """Declared, edits, links (current and undone), unlinks, updates and resolution, in time
    order."""
    items: list[dict] = [
        {"at": incident.declared_at, "what": "Declared", "who": incident.declared_by, "text": ""}
    ]
    for link in incident.links.select_related("linked_by", "ticket"):
        items.append(
            {
                "at": link.linked_at,
                "what": f"Linked #{link.ticket_id}",
                "who": link.linked_by,
                "text": link.ticket.subject,
            }
        )
    items += _change_items(incident)
    for update in incident.updates.select_related("posted_by"):
        items.append(
            {
                "at": update.posted_at,
                "what": update.get_kind_display(),
                "who": update.posted_by,
                "text": update.body,
                "update": update,
            }
        )
    if incident.resolved_at:
        items.append(
            {
                "at": incident.resolved_at,
                "what": "Resolved",
                "who": incident.resolved_by,
                "text": "",
            }
        )
    return sorted(items, key=lambda i: i["at"])


def update_progress(update: IncidentUpdate) -> dict:
    counts = dict(update.deliveries.order_by().values_list("state").annotate(n=Count("pk")))
    return {
        "delivered": counts.get(DeliveryState.DELIVERED, 0),
        "skipped": counts.get(DeliveryState.SKIPPED, 0),
        "pending": counts.get(DeliveryState.PENDING, 0),
    }


def ticket_incidents(ticket: Ticket) -> QuerySet[Incident]:
    return Incident.objects.filter(links__ticket=ticket).order_by("-declared_at")
