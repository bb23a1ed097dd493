"""Permission-matrix rows of attachments (tickets.attachments): the download, in the pages and
the API, only for people who may see the ticket."""

from __future__ import annotations

from tests.factories import make_ticket
from tests.matrix import Row, api_staff, staff
from tickets import services
from tickets.models import Attachment


def attachment_kwargs(ctx) -> dict:
    ticket = make_ticket(ctx["team"])
    services.reply(
        ticket.pk, by=ctx["users"]["rep"], body="See file", attachments=[("a.txt", b"hello\n")]
    )
    return {"pk": Attachment.objects.get(ticket=ticket).pk}


ROWS: dict[str, Row] = {
    "tickets:attachment-download": Row(
        "get", staff(200, rep_other_team=404), kwargs=attachment_kwargs
    ),
    "tickets-api:attachment-download": Row(
        "get", api_staff(200, rep_other_team=404), kwargs=attachment_kwargs
    ),
}
