"""Webhook use cases: manage subscriptions, fan events out, deliver one delivery.

Fan-out (``record_ticket_events``, ``record_incident``, ``send_test``) runs inside the action's
transaction: the ``WebhookEvent`` (unique per source), one ``WebhookDelivery`` per active
subscription that wants the type, and one job per delivery commit with the action or not at
all. The broker message that wakes a worker is only a hint (csops.jobs).

``deliver`` locks the delivery row while the request goes out and records the attempt and the
outcome in the same transaction, so a repeated or concurrent run of the job finds the
delivery finished and sends nothing: each delivery is logged delivered at most once. A worker
killed after the receiver answered but before the commit leaves the delivery pending; the
job's retry sends it again with the same X-Csops-Delivery id, which the receiver drops (at
least once on the wire, exactly once in the log). A failed attempt is logged and the job
runner retries it with back-off; after ``max_attempts()`` the delivery is failed for good,
and ``WEBHOOK_PAUSE_AFTER`` such failures in a row pause the subscription and notify its
owner. Test events neither count towards nor reset that streak.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from csops import jobs, memo
from csops.errors import InvalidInput, NotFound
from csops.notify import notify
from tickets.endpoints import delivery as endpoint_delivery
from tickets.endpoints import streak, transport
from tickets.endpoints.fields import endpoint_field_errors
from tickets.models import Incident, Ticket, TicketEvent
from tickets.webhooks import payloads, signing
from tickets.webhooks.models import (
    SUBSCRIBABLE,
    DeliveryAttempt,
    DeliveryState,
    EventType,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from tickets.webhooks.permissions import ensure_can_manage_webhooks

DELIVER = "tickets.deliver_webhook"  # job kind: send one delivery (tickets/webhooks/jobs.py)
FIELDS = ("name", "url", "events", "active")


class DeliveryFailed(Exception):
    """An attempt failed and the delivery has tries left: the job runner retries it."""


# Subscriptions


def check_fields(values: dict) -> dict:
    """The given subscription fields, cleaned; InvalidInput names each wrong one."""
    errors = endpoint_field_errors(values, fields=FIELDS, events=SUBSCRIBABLE)
    if errors:
        raise InvalidInput("The subscription is not valid.", fields=errors)
    return values


def access_subscription(by: User, pk: int, *, for_update: bool = False) -> WebhookSubscription:
    ensure_can_manage_webhooks(by)
    qs = WebhookSubscription.objects.select_related("owner")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    sub = qs.filter(pk=pk).first()
    if sub is None:
        raise NotFound(f"Webhook subscription #{pk} does not exist.")
    return sub


@transaction.atomic
def create_subscription(
    *, by: User, name: str, url: str, events: list[str], active: bool = True
) -> WebhookSubscription:
    ensure_can_manage_webhooks(by)
    values = check_fields({"name": name, "url": url, "events": events, "active": active})
    return WebhookSubscription.objects.create(
        **values, owner=by, secret=signing.new_secret(), created_at=timezone.now()
    )


@transaction.atomic
def update_subscription(pk: int, *, by: User, **changes) -> WebhookSubscription:
    """Change the given fields. Turning a paused subscription on again clears its streak."""
    sub = access_subscription(by, pk, for_update=True)
    values = check_fields(dict(changes))
    streak.save_changes(sub, values)
    return sub


@transaction.atomic
def rotate_secret(pk: int, *, by: User) -> WebhookSubscription:
    sub = access_subscription(by, pk, for_update=True)
    sub.secret = signing.new_secret()
    sub.save(update_fields=["secret"])
    return sub


@transaction.atomic
def delete_subscription(pk: int, *, by: User) -> None:
    access_subscription(by, pk, for_update=True).delete()


# Fan-out


def _fan_out(
    type_: str, source: str, payload: dict, subs: Iterable[WebhookSubscription]
) -> list[WebhookDelivery]:
    targets = [s for s in subs if type_ in s.events or type_ == EventType.TEST]
    if not targets:
        return []
    now = timezone.now()
    event, created = WebhookEvent.objects.get_or_create(
        source=source, defaults={"type": type_, "payload": payload, "created_at": now}
    )
    if not created:
        return []  # already fanned out
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(subscription=s, event=event, created_at=now) for s in targets]
    )
    for delivery in deliveries:
        jobs.enqueue(
            DELIVER, key=f"webhook-delivery:{delivery.pk}", payload={"delivery": delivery.pk}
        )
    return deliveries


@memo.per_batch
def _listening() -> list[WebhookSubscription]:
    return list(WebhookSubscription.objects.filter(active=True).only("pk", "events"))


def record_ticket_events(ticket: Ticket, log: Iterable[TicketEvent]) -> int:
    """Fan out an action's saved ticket events; call inside the action's transaction (the
    ticket services do, through ``tickets.services.actions.record``). Returns deliveries."""
    typed = [(e, t) for e in log if (t := payloads.type_of(e)) is not None]
    if not typed:
        return 0
    subs = _listening()
    count = 0
    for entry, type_ in typed:
        if any(type_ in s.events for s in subs):
            payload = payloads.ticket_event(ticket, entry)
            count += len(_fan_out(type_, f"ticket-event:{entry.pk}", payload, subs))
    return count


def record_incident(incident: Incident, type_: str, *, source: str, **change: object) -> int:
    """Fan out an incident's declaration, update or resolution (the incident services call
    it in their transaction). ``source`` names the change uniquely."""
    subs = _listening()
    if not any(type_ in s.events for s in subs):
        return 0
    return len(_fan_out(type_, source, payloads.incident(incident, **change), subs))


def record_sla_alert(ticket_id: int, *, metric: str, index: int, kind: str, at) -> int:
    """Fan out an SLA alert the monitor recorded (in its transaction; once per alert row)."""
    type_ = EventType.SLA_BREACHED if kind == "breach" else EventType.SLA_AT_RISK
    subs = _listening()
    if not any(type_ in s.events for s in subs):
        return 0
    t = Ticket.objects.get(pk=ticket_id)
    payload = payloads.sla_alert(t, metric=metric, index=index, kind=kind, at=at)
    return len(_fan_out(type_, f"sla:{ticket_id}:{metric}:{index}:{kind}", payload, subs))


def record_survey_answer(response) -> int:
    """Fan out a survey answer (``surveys.record_response`` calls it in its transaction)."""
    subs = _listening()
    if not any(EventType.SURVEY_ANSWERED in s.events for s in subs):
        return 0
    payload = payloads.survey_answer(Ticket.objects.get(pk=response.ticket_id), response)
    return len(_fan_out(EventType.SURVEY_ANSWERED, f"survey-response:{response.pk}", payload, subs))


@transaction.atomic
def send_test(pk: int, *, by: User) -> WebhookDelivery:
    """A ``webhook.test`` delivery to this subscription only (also while it is paused, so an
    endpoint can be checked before it is turned on again)."""
    sub = access_subscription(by, pk)
    payload = {"subscription": sub.pk, "sent_by": by.get_username(), "message": "Test event"}
    return _fan_out(EventType.TEST, f"test:{uuid.uuid4()}", payload, [sub])[0]


# Delivery


def body_of(delivery: WebhookDelivery) -> bytes:
    """The request body: the same bytes on every attempt."""
    event = delivery.event
    document = {
        "id": str(delivery.uuid),
        "type": event.type,
        "event_id": event.pk,
        "created_at": event.created_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def headers_of(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "csops-webhooks/1",
        signing.DELIVERY_HEADER: str(delivery.uuid),
        signing.EVENT_HEADER: delivery.event.type,
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature(delivery.subscription.secret, timestamp, body),
    }


def _tell_paused(sub: WebhookSubscription, at: datetime) -> None:
    url = settings.CSOPS_PUBLIC_URL.rstrip("/") + reverse("tickets:webhook-detail", args=[sub.pk])
    notify(
        [sub.owner],
        key=f"webhook-paused:{sub.pk}:{at.isoformat()}",
        text=(
            f"Webhook “{sub.name}” was paused: its last {sub.failure_streak} deliveries "
            f"to {sub.url} failed. Fix the endpoint, send a test event, then turn it on."
        ),
        url=url,
    )


def deliver(delivery_id: int) -> str | None:
    """Send one pending delivery (the job's step). Returns its state afterwards (None if it
    no longer exists); raises ``DeliveryFailed`` after a failed try that will be retried."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("subscription__owner", "event")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        if delivery.state != DeliveryState.PENDING:
            return delivery.state  # sent (or given up) by an earlier run
        sub = delivery.subscription
        is_test = delivery.event.type == EventType.TEST
        why = "The subscription is paused."
        if endpoint_delivery.cancel_if_paused(delivery, sub, is_test=is_test, why=why):
            return delivery.state
        delivery.attempts += 1
        body, timestamp = body_of(delivery), int(time.time())
        outcome = transport.post(
            sub.url,
            body,
            headers_of(delivery, body, timestamp),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            at=timezone.now(),
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
        )
        endpoint_delivery.record_outcome(
            delivery, sub, outcome, is_test=is_test, tell_paused=_tell_paused
        )
        delivery.save()
    if delivery.state == DeliveryState.PENDING:
        raise DeliveryFailed(f"attempt {delivery.attempts}: {outcome.error}")
    return delivery.state
