"""Permission row of the raw-MIME inbound door: no session counts, only the shared secret
(tests/mail/test_doors.py walks the secret's cases), so every persona without it gets 401 and
nothing is recorded."""

from __future__ import annotations

from tests.matrix import Row, all_personas
from tickets.mail.inbound.models import InboundMessage
from tickets.models import Ticket

ROWS: dict[str, Row] = {
    "mail-inbound": Row(
        "post",
        # A signed-in account without a role is refused before any view (the console's rule).
        all_personas(401, no_role=403),
        data=lambda ctx: "From: a@example.org\r\nTo: support@acme.test\r\n\r\nHello\r\n",
        content_type="message/rfc822",
        snapshot=lambda ctx: (InboundMessage.objects.count(), Ticket.objects.count()),
    ),
}
