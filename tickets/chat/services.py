"""Chat channel use cases: configure a team's channels, fan events out, deliver one message.

Fan-out (``record_*``, ``send_test``) runs inside the action's transaction: one
``ChatDelivery`` per active channel of the team that wants the event (unique per channel and
source, so a repeated call adds nothing) and one job per delivery commit with the action or
not at all. ``deliver`` locks the delivery row while the request goes out and records the
outcome in the same transaction, so a repeated run of the job posts nothing twice to the
log; a failed try is retried by the job runner with back-off, up to ``WEBHOOK_MAX_ATTEMPTS``,
and ``WEBHOOK_PAUSE_AFTER`` deliveries failed in a row pause the channel and tell the team's
managers. Test messages neither count towards nor reset that streak.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from csops import jobs, permissions
from csops.errors import InvalidInput, NotAllowed, NotFound
from csops.notify import notify
from csops.people import display_name
from staffing.models import Team
from tickets.chat import formats, notices
from tickets.chat.models import (
    CHAT_EVENTS,
    ChatChannel,
    ChatDelivery,
    ChatDeliveryState,
    ChatEvent,
    ChatKind,
)
from tickets.endpoints import delivery as endpoint_delivery
from tickets.endpoints import streak, transport
from tickets.endpoints.fields import endpoint_field_errors
from tickets.models import Escalation, Incident, SpikeAlert, Ticket

DELIVER = "tickets.deliver_chat_message"  # job kind (tickets/chat/jobs.py)
FIELDS = ("team", "name", "kind", "url", "events", "active")


class ChatDeliveryFailed(Exception):
    """A try failed and the delivery has tries left: the job runner retries it."""


# Channels


def check_fields(values: dict) -> dict:
    """The given channel fields, cleaned; InvalidInput names each wrong one."""
    errors = endpoint_field_errors(values, fields=FIELDS, events=CHAT_EVENTS)
    if "kind" in values and values["kind"] not in ChatKind.values:
        errors["kind"] = ["Choose Slack or Microsoft Teams."]
    if "team" in values and not isinstance(values["team"], Team):
        errors["team"] = ["Choose a team."]
    if errors:
        raise InvalidInput("The chat channel is not valid.", fields=errors)
    return values


def _ensure_team(by: User, team: Team) -> None:
    if not permissions.can_manage_chat_of_team(by, team.pk):
        raise NotAllowed(f"Only {team}'s managers or a director configure its chat channels.")


def channels_for(by: User):
    return permissions.scope_chat_channels(by, ChatChannel.objects.select_related("team"))


def access_channel(by: User, pk: int, *, for_update: bool = False) -> ChatChannel:
    qs = channels_for(by)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    channel = qs.filter(pk=pk).first()
    if channel is None:
        raise NotFound(f"Chat channel #{pk} does not exist or is not of your teams.")
    return channel


@transaction.atomic
def create_channel(
    *,
    by: User,
    team: Team,
    name: str,
    kind: str,
    url: str,
    events: list[str],
    active: bool = True,
) -> ChatChannel:
    values = check_fields(
        {"team": team, "name": name, "kind": kind, "url": url, "events": events, "active": active}
    )
    _ensure_team(by, team)
    return ChatChannel.objects.create(**values, created_by=by, created_at=timezone.now())


@transaction.atomic
def update_channel(pk: int, *, by: User, **changes) -> ChatChannel:
    """Change the given fields (moving it to another team needs that team too). Turning a
    paused channel on again clears its streak."""
    channel = access_channel(by, pk, for_update=True)
    values = check_fields(dict(changes))
    if "team" in values:
        _ensure_team(by, values["team"])
    streak.save_changes(channel, values)
    return channel


@transaction.atomic
def delete_channel(pk: int, *, by: User) -> None:
    access_channel(by, pk, for_update=True).delete()


# Fan-out


def _fan_out(event: str, source: str, notice: formats.Notice, team_ids: Iterable[int]) -> int:
    channels = [
        c
        for c in ChatChannel.objects.filter(team_id__in=set(team_ids), active=True)
        if event in c.events
    ]
    if not channels:
        return 0
    done = set(
        ChatDelivery.objects.filter(source=source, channel__in=channels).values_list(
            "channel_id", flat=True
        )
    )  # already fanned out to these
    now = timezone.now()
    made = ChatDelivery.objects.bulk_create(
        [
            ChatDelivery(
                channel=c, event=event, source=source, notice=notice.as_json(), created_at=now
            )
            for c in channels
            if c.pk not in done
        ]
    )
    for delivery in made:
        jobs.enqueue(DELIVER, key=f"chat-delivery:{delivery.pk}", payload={"delivery": delivery.pk})
    return len(made)


def record_sla_breach(ticket: Ticket, *, metric: str, index: int, at: datetime) -> int:
    """The SLA monitor recorded a breach (in its transaction): the ticket's team hears."""
    notice = notices.sla_breach(ticket, metric=metric, at=at)
    source = f"sla:{ticket.pk}:{metric}:{index}"
    return _fan_out(ChatEvent.SLA_BREACHED, source, notice, [ticket.team_id])


def record_escalation(escalation: Escalation) -> int:
    """An escalation was opened (in its transaction): the team it went to hears."""
    notice = notices.escalation(escalation)
    source = f"escalation:{escalation.pk}"
    return _fan_out(ChatEvent.ESCALATION, source, notice, [escalation.to_team_id])


def record_incident(incident: Incident, what: str, *, source: str, text: str = "") -> int:
    """An incident was declared, updated or resolved (``what``): its team hears."""
    notice = notices.incident(incident, what, text=text)
    return _fan_out(ChatEvent.INCIDENT, f"incident:{source}", notice, [incident.team_id])


def record_spike(alert: SpikeAlert) -> int:
    """A spike alert was raised: the teams that hold its tickets hear."""
    teams = Ticket.objects.filter(pk__in=alert.ticket_ids).values_list("team_id", flat=True)
    return _fan_out(ChatEvent.SPIKE, f"spike:{alert.pk}", notices.spike(alert), teams.distinct())


@transaction.atomic
def send_test(pk: int, *, by: User) -> ChatDelivery:
    """A test message to this channel only (also while it is paused)."""
    channel = access_channel(by, pk)
    notice = notices.test(channel.name, display_name(by))
    delivery = ChatDelivery.objects.create(
        channel=channel,
        event=ChatEvent.TEST,
        source=f"test:{uuid.uuid4()}",
        notice=notice.as_json(),
        created_at=timezone.now(),
    )
    jobs.enqueue(DELIVER, key=f"chat-delivery:{delivery.pk}", payload={"delivery": delivery.pk})
    return delivery


# Delivery


def body_of(delivery: ChatDelivery) -> bytes:
    """The request body for the channel's kind: the same bytes on every try."""
    document = formats.render(delivery.channel.kind, formats.Notice.from_json(delivery.notice))
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _tell_paused(channel: ChatChannel, at: datetime) -> None:
    notify(
        [*channel.team.managers.all(), channel.created_by],
        key=f"chat-paused:{channel.pk}:{at.isoformat()}",
        text=(
            f"Chat channel “{channel.name}” of {channel.team} was paused: its last "
            f"{channel.failure_streak} messages failed. Check its URL, send a test "
            "message, then turn it on."
        ),
        url=notices.link("tickets:chat-detail", channel.pk),
    )


def deliver(delivery_id: int) -> str | None:
    """Post one pending delivery (the job's step). Returns its state afterwards (None if it
    no longer exists); raises ``ChatDeliveryFailed`` after a failed try that will be retried."""
    with transaction.atomic():
        delivery = (
            ChatDelivery.objects.select_for_update(of=("self",))
            .select_related("channel")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        if delivery.state != ChatDeliveryState.PENDING:
            return delivery.state  # sent (or given up) by an earlier run
        channel = delivery.channel
        is_test = delivery.event == ChatEvent.TEST
        why = "The channel is paused."
        if endpoint_delivery.cancel_if_paused(delivery, channel, is_test=is_test, why=why):
            return delivery.state
        delivery.attempts += 1
        outcome = transport.post(
            channel.url,
            body_of(delivery),
            {"Content-Type": "application/json", "User-Agent": "csops-chat/1"},
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
        delivery.last_duration_ms = outcome.duration_ms
        endpoint_delivery.record_outcome(
            delivery, channel, outcome, is_test=is_test, tell_paused=_tell_paused
        )
        delivery.save()
    if delivery.state == ChatDeliveryState.PENDING:
        raise ChatDeliveryFailed(f"attempt {delivery.attempts}: {outcome.error}")
    return delivery.state
