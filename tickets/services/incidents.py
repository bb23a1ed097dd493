"""Incident use cases: declare, edit, link and unlink tickets, post an update (delivered to
every linked ticket by the ``tickets.deliver_incident_update`` job, tickets/jobs.py), resolve.

Rules decided here (the spec is silent):
- An incident belongs to a team; its managers (or directors) handle it. A linked ticket must
  be one the handler may see (any team for directors).
- An update goes to the tickets linked when it is posted: their delivery rows are created in
  the posting transaction, so a ticket linked later is not updated retroactively and none is
  missed. A closed ticket cannot take a message: its delivery is marked skipped.
- Each delivery is a public reply by the poster (an agent reply, §2), with new → open first.
- Resolving with "solve linked tickets" posts the closing message the same way and sets each
  unresolved linked ticket to solved in the same action as its reply.
- A resolved incident is read-only: no edit, link, unlink, update or second resolution (422).
- An edit changes the declared title, severity and description. The team is who handles the
  incident (moving it is a hand-over, not an edit) and the customer-facing text changes only
  by posting an update, so that it is always what the customers were sent. Incidents carry no
  version: concurrent edits are serialized by the row lock, the last one wins, and each is
  kept as an ``IncidentChange`` with every changed field's before and after.
- Linking is kept on its ``IncidentLink`` row (who, when), not in the tickets' event logs;
  unlinking deletes that row and keeps an ``IncidentChange`` (who unlinked, when, and who had
  linked it when), so the timeline shows both. Any handler of the incident may unlink any of
  its tickets. Updates already posted still reach a ticket unlinked afterwards: an update goes
  to the tickets linked when it was posted.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from csops import jobs, permissions
from csops.errors import InvalidInput, InvalidTransition, NotFound
from staffing.models import Team
from tickets import events
from tickets.chat import services as chat
from tickets.followers import services as followers
from tickets.models import (
    Incident,
    IncidentDelivery,
    IncidentLink,
    IncidentUpdate,
    SpikeAlert,
    Status,
    Ticket,
)
from tickets.models.incidents import (
    ChangeKind,
    DeliveryState,
    IncidentChange,
    IncidentState,
    Severity,
    UpdateKind,
)
from tickets.services.actions import action_time, open_if_new, record, save_ticket, transition
from tickets.webhooks import services as webhooks
from tickets.webhooks.models import EventType as Hook

BATCH_SIZE = 50  # deliveries per job run (the job runs again while some remain)
DELIVER_UPDATE = "tickets.deliver_incident_update"  # job kind (tickets/jobs.py)
EDITABLE_FIELDS = ("title", "severity", "description")
TITLE_MAX: int = Incident._meta.get_field("title").max_length or 200


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
    public: bool = False,
) -> Incident:
    permissions.ensure_can_handle_team(by, team.pk, "declare an incident for this team")
    fields = _required(title=title, description=description, customer_update=customer_update)
    if severity not in Severity.values:
        raise InvalidInput("Unknown severity.", fields={"severity": ["Choose a severity."]})
    incident = Incident.objects.create(
        team=team,
        severity=severity,
        declared_by=by,
        declared_at=action_time(),
        public=public,
        **fields,
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
    webhooks.record_incident(incident, Hook.INCIDENT_DECLARED, source=f"incident:{incident.pk}")
    chat.record_incident(incident, "declared", source=f"{incident.pk}")
    return incident


def _open_incident(incident_id: int, by: User, refusal: str = "") -> Incident:
    """The incident, locked, if ``by`` handles it and it is open (``refusal`` ends the
    message given for a resolved one)."""
    incident = permissions.access_incident(by, incident_id, for_update=True)
    if not incident.is_open:
        raise InvalidTransition(f"Incident #{incident.pk} is resolved{refusal}.")
    return incident


def _edited_values(changes: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        fields = {name: ["This field cannot be edited."] for name in unknown}
        raise InvalidInput(f"Only {', '.join(EDITABLE_FIELDS)} can be edited.", fields=fields)
    values = {k: str(v).strip() for k, v in changes.items()}
    errors = {k: ["This field is required."] for k, v in values.items() if not v}
    if "title" in values and len(values["title"]) > TITLE_MAX:
        errors["title"] = [f"At most {TITLE_MAX} characters."]
    if values.get("severity") and values["severity"] not in Severity.values:
        errors["severity"] = ["Choose a severity."]
    if errors:
        raise InvalidInput("The incident's new values are not valid.", fields=errors)
    return values


@transaction.atomic
def edit(incident_id: int, *, by: User, public: bool | None = None, **changes: str) -> Incident:
    """Change the given declared fields (``EDITABLE_FIELDS``; others stay as they are) and
    whether it shows on the help center (``public``; None keeps it) of an open incident; the
    change, if any, is kept as an ``IncidentChange``."""
    incident = _open_incident(incident_id, by, ": a resolved incident cannot be edited")
    values: dict = _edited_values(changes)
    if public is not None:
        values["public"] = bool(public)
    diff = {k: [getattr(incident, k), v] for k, v in values.items() if getattr(incident, k) != v}
    if diff:
        for name, (_, after) in diff.items():
            setattr(incident, name, after)
        incident.save(update_fields=list(diff))
        change = IncidentChange.objects.create(
            incident=incident, kind=ChangeKind.EDITED, by=by, at=action_time(), data=diff
        )
        webhooks.record_incident(
            incident, Hook.INCIDENT_UPDATED, source=f"incident-change:{change.pk}", fields=diff
        )
        text = f"Changed: {', '.join(sorted(diff))}."
        chat.record_incident(incident, "updated", source=f"change:{change.pk}", text=text)
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
def unlink_ticket(incident_id: int, *, by: User, ticket_id: int) -> IncidentChange:
    """Remove one linked ticket; a ticket not (or no longer) linked is NotFound."""
    incident = _open_incident(incident_id, by)
    link = IncidentLink.objects.filter(incident=incident, ticket_id=ticket_id).first()
    if link is None:
        raise NotFound(f"Ticket #{ticket_id} is not linked to incident #{incident.pk}.")
    link.delete()
    return IncidentChange.objects.create(
        incident=incident,
        kind=ChangeKind.UNLINKED,
        ticket_id=ticket_id,
        by=by,
        at=action_time(),
        data={"linked_by": link.linked_by_id, "linked_at": link.linked_at.isoformat()},
    )


def _queue_update(incident: Incident, *, by: User, body: str, kind: str) -> IncidentUpdate:
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
        jobs.enqueue(
            DELIVER_UPDATE,
            key=f"incident-update:{update.pk}",
            payload={"update": update.pk},
            priority=jobs.Priority.BULK,
        )
    return update


@transaction.atomic
def post_update(incident_id: int, *, by: User, body: str) -> IncidentUpdate:
    """Send ``body`` as a public reply to every linked ticket (asynchronously, exactly once)."""
    incident = _open_incident(incident_id, by)
    body = _required(body=body)["body"]
    incident.customer_update = body
    incident.save(update_fields=["customer_update"])
    update = _queue_update(incident, by=by, body=body, kind=UpdateKind.UPDATE)
    followers.notify_followers(incident, body)
    webhooks.record_incident(
        incident, Hook.INCIDENT_UPDATED, source=f"incident-update:{update.pk}", update=body
    )
    chat.record_incident(incident, "updated", source=f"update:{update.pk}", text=body)
    return update


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
    followers.notify_followers(
        incident, closing_message.strip() or "This incident is resolved.", resolved=True
    )
    webhooks.record_incident(
        incident, Hook.INCIDENT_RESOLVED, source=f"incident:{incident.pk}:resolved"
    )
    chat.record_incident(
        incident, "resolved", source=f"{incident.pk}:resolved", text=closing_message.strip()
    )
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
