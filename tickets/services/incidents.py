"""Incident use cases: declare, link tickets, post an update (delivered to every linked
ticket by ``tickets.tasks_incidents.deliver_incident_update``), resolve.

Rules decided here (the spec is silent):
- An incident belongs to a team; its managers (or directors) handle it. A linked ticket must
  be one the handler may see (any team for directors).
- An update goes to the tickets linked when it is posted: their delivery rows are created in
  the posting transaction, so a ticket linked later is not updated retroactively and none is
  missed. A closed ticket cannot take a message: its delivery is marked skipped.
- Each delivery is a public reply by the poster (an agent reply, §2), with new → open first.
- Resolving with "solve linked tickets" posts the closing message the same way and sets each
  unresolved linked ticket to solved in the same action as its reply.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from csops import permissions
from csops.errors import InvalidInput, InvalidTransition
from staffing.models import Team
from tickets import events
from tickets.models import (
    Incident,
    IncidentDelivery,
    IncidentLink,
    IncidentUpdate,
    SpikeAlert,
    Status,
    Ticket,
)
from tickets.models.incidents import DeliveryState, IncidentState, Severity, UpdateKind
from tickets.services.actions import action_time, open_if_new, record, save_ticket, transition

BATCH_SIZE = 50


def _required(**values: str) -> dict[str, str]:
    cleaned = {k: v.strip() for k, v in values.items()}
    errors = {k: ["This field is required."] for k, v in cleaned.items() if not v}
    if errors:
        raise InvalidInput("The incident is missing required fields.", fields=errors)
    return cleaned


@transaction.atomic
def declare(
    *,
    by: User,
    team: Team,
    title: str,
    severity: str,
    description: str,
    customer_update: str,
    alert_id: int | None = None,
) -> Incident:
    permissions.ensure_can_handle_team(by, team.pk, "declare an incident for this team")
    fields = _required(title=title, description=description, customer_update=customer_update)
    if severity not in Severity.values:
        raise InvalidInput("Unknown severity.", fields={"severity": ["Choose a severity."]})
    incident = Incident.objects.create(
        team=team, severity=severity, declared_by=by, declared_at=action_time(), **fields
    )
    if alert_id is not None:
        # Declared from a spike alert: the alert is handled, its tickets linked if visible.
        alert = SpikeAlert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is not None and alert.incident_id is None:
            alert.incident = incident
            alert.save(update_fields=["incident"])
            visible = permissions.scope_tickets(by, Ticket.objects.filter(pk__in=alert.ticket_ids))
            IncidentLink.objects.bulk_create(
                [
                    IncidentLink(
                        incident=incident,
                        ticket_id=pk,
                        linked_by=by,
                        linked_at=incident.declared_at,
                    )
                    for pk in visible.values_list("pk", flat=True)
                ]
            )
    return incident


def _open_incident(incident_id: int, by: User) -> Incident:
    incident = permissions.access_incident(by, incident_id, for_update=True)
    if not incident.is_open:
        raise InvalidTransition(f"Incident #{incident.pk} is resolved.")
    return incident


@transaction.atomic
def link_tickets(incident_id: int, *, by: User, ticket_ids: Iterable[int]) -> int:
    """Link the tickets (all must be visible to ``by``); returns how many were new links."""
    incident = _open_incident(incident_id, by)
    wanted = sorted(set(ticket_ids))
    if not wanted:
        raise InvalidInput("Select at least one ticket.", fields={"tickets": ["Select tickets."]})
    visible = set(
        permissions.scope_tickets(by, Ticket.objects.filter(pk__in=wanted)).values_list(
            "pk", flat=True
        )
    )
    missing = [pk for pk in wanted if pk not in visible]
    if missing:
        detail = (
            f"Ticket(s) {', '.join(f'#{pk}' for pk in missing)} do not exist or are not in "
            "your teams."
        )
        raise InvalidInput(detail, fields={"tickets": [detail]})
    at = action_time()
    before = incident.links.count()
    IncidentLink.objects.bulk_create(
        [
            IncidentLink(incident=incident, ticket_id=pk, linked_by=by, linked_at=at)
            for pk in wanted
        ],
        ignore_conflicts=True,
    )
    return incident.links.count() - before


@transaction.atomic
def unlink_ticket(incident_id: int, *, by: User, ticket_id: int) -> None:
    incident = _open_incident(incident_id, by)
    IncidentLink.objects.filter(incident=incident, ticket_id=ticket_id).delete()


def _queue_update(incident: Incident, *, by: User, body: str, kind: str) -> IncidentUpdate:
    from tickets.tasks_incidents import deliver_incident_update

    ticket_ids = list(incident.links.values_list("ticket_id", flat=True))
    update = IncidentUpdate.objects.create(
        incident=incident,
        kind=kind,
        body=body,
        posted_by=by,
        posted_at=action_time(),
        total=len(ticket_ids),
    )
    IncidentDelivery.objects.bulk_create(
        [IncidentDelivery(update=update, ticket_id=pk) for pk in ticket_ids]
    )
    if not ticket_ids:
        update.finished_at = update.posted_at
        update.save(update_fields=["finished_at"])
    else:
        deliver_incident_update.delay_on_commit(update.pk)
    return update


@transaction.atomic
def post_update(incident_id: int, *, by: User, body: str) -> IncidentUpdate:
    """Send ``body`` as a public reply to every linked ticket (asynchronously, exactly once)."""
    incident = _open_incident(incident_id, by)
    body = _required(body=body)["body"]
    incident.customer_update = body
    incident.save(update_fields=["customer_update"])
    return _queue_update(incident, by=by, body=body, kind=UpdateKind.UPDATE)


@transaction.atomic
def resolve(
    incident_id: int, *, by: User, solve_tickets: bool = False, closing_message: str = ""
) -> Incident:
    incident = _open_incident(incident_id, by)
    if solve_tickets:
        body = closing_message.strip()
        if not body:
            raise InvalidInput(
                "Write the closing message the linked tickets will get.",
                fields={"closing_message": ["Required to solve the linked tickets."]},
            )
        _queue_update(incident, by=by, body=body, kind=UpdateKind.RESOLUTION)
    incident.state, incident.resolved_at, incident.resolved_by = (
        IncidentState.RESOLVED,
        action_time(),
        by,
    )
    incident.save(update_fields=["state", "resolved_at", "resolved_by"])
    return incident


def deliver_batch(update_id: int, *, limit: int = BATCH_SIZE) -> int:
    """Deliver up to ``limit`` pending deliveries of an update, each in its own transaction
    (claim the row with SKIP LOCKED, reply, mark it). Returns how many remain pending."""
    update = IncidentUpdate.objects.select_related("posted_by").get(pk=update_id)
    for _ in range(limit):
        if not _deliver_one(update):
            break
    remaining = IncidentDelivery.objects.filter(update=update, state=DeliveryState.PENDING).count()
    if remaining == 0:
        IncidentUpdate.objects.filter(pk=update.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    return remaining


@transaction.atomic
def _deliver_one(update: IncidentUpdate) -> bool:
    delivery = (
        IncidentDelivery.objects.select_for_update(skip_locked=True)
        .filter(update=update, state=DeliveryState.PENDING)
        .order_by("pk")
        .first()
    )
    if delivery is None:
        return False
    ticket = Ticket.objects.select_for_update().get(pk=delivery.ticket_id)
    by = update.posted_by
    if ticket.status == Status.CLOSED:
        delivery.state = DeliveryState.SKIPPED
    else:
        at = action_time(ticket)
        log = open_if_new(ticket, at, by)
        reply = events.agent_reply(ticket, at, by, update.body)
        log.append(reply)
        if update.kind == UpdateKind.RESOLUTION and ticket.is_unresolved:
            log += transition(ticket, at, by, Status.SOLVED)
        save_ticket(ticket, at, ["status", "solved_at"])
        record(ticket, at, log)
        delivery.state, delivery.event, delivery.delivered_at = DeliveryState.DELIVERED, reply, at
    delivery.save(update_fields=["state", "event", "delivered_at"])
    IncidentUpdate.objects.filter(pk=update.pk).update(done=F("done") + 1)
    return True
