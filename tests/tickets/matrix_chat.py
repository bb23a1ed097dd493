"""Permission-matrix rows of chat channels (tickets/chat): pages and API are for managers
(the channel here is of their team), directors and admins; reps are refused and a refused
write changes nothing. A manager of another team: tests/tickets/test_chat_notifications.py."""

from __future__ import annotations

from tests.matrix import Row, api_staff, staff
from tickets.chat import services
from tickets.chat.models import ChatChannel

REPS_REFUSED = {"rep": 403, "rep_other_team": 403}


def _channel(ctx) -> dict:
    channel = services.create_channel(
        by=ctx["users"]["director"],
        team=ctx["team"],
        name="#tier-1",
        kind="slack",
        url="http://127.0.0.1:9/",
        events=["incident"],
    )
    ctx["channel"] = channel
    return {"pk": channel.pk}


def _snapshot(ctx):
    channel = ChatChannel.objects.filter(pk=ctx["channel"].pk).first()
    return None if channel is None else (channel.active, channel.deliveries.count())


ROWS: dict[str, Row] = {
    "tickets:chat-list": Row("get", staff(200, **REPS_REFUSED)),
    "tickets:chat-detail": Row("get", staff(200, **REPS_REFUSED), kwargs=_channel),
    "tickets:chat-test": Row(
        "post", staff(302, **REPS_REFUSED), kwargs=_channel, snapshot=_snapshot
    ),
    "tickets:chat-delete": Row(
        "post", staff(302, **REPS_REFUSED), kwargs=_channel, snapshot=_snapshot
    ),
    "tickets-api:chat-channel-list": Row("get", api_staff(200, **REPS_REFUSED)),
    "tickets-api:chat-channel-detail": Row("get", api_staff(200, **REPS_REFUSED), kwargs=_channel),
    "tickets-api:chat-channel-deliveries": Row(
        "get", api_staff(200, **REPS_REFUSED), kwargs=_channel
    ),
    "tickets-api:chat-channel-test": Row(
        "post",
        api_staff(202, **REPS_REFUSED),
        kwargs=_channel,
        snapshot=_snapshot,
        content_type="application/json",
    ),
}
