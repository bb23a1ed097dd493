"""Permission-matrix rows of the outbox (tickets.mail): retrying a failed reply email."""

from __future__ import annotations

from tests.factories import make_ticket
from tests.matrix import Row, staff
from tickets import services
from tickets.models import OutboundMessage, OutboxState


def failed_message_kwargs(ctx) -> dict:
    ticket = make_ticket(ctx["team"])
    services.reply(ticket.pk, by=ctx["users"]["rep"], body="Hello")
    message = OutboundMessage.objects.get(ticket=ticket)
    OutboundMessage.objects.filter(pk=message.pk).update(
        state=OutboxState.FAILED, attempts=5, last_error="SMTPRecipientsRefused"
    )
    ctx["message"] = message
    return {"pk": message.pk}


def message_snapshot(ctx):
    m = OutboundMessage.objects.get(pk=ctx["message"].pk)
    return (m.state, m.attempts, m.retries)


ROWS: dict[str, Row] = {
    "tickets:outbound-retry": Row(
        "post",
        staff(302, rep_other_team=404),
        kwargs=failed_message_kwargs,
        snapshot=message_snapshot,
    ),
}
