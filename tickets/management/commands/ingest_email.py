"""``manage.py ingest_email [--mailbox ADDRESS] < message.eml``: one message from standard input
through the inbound service (an MTA pipe, e.g. Postfix's ``| manage.py ingest_email``, or a
person feeding a saved .eml in the demo).

It exits 0 once the message is recorded, whatever became of it (a ticket, a reply, ignored
noise, or kept as failed for an admin to retry): the record is the truth, so the MTA must not
bounce or redeliver it. It exits 1 only when nothing was recorded (an unknown ``--mailbox``,
empty input)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from tickets.mail.inbound import services
from tickets.mail.inbound.models import InboundSource, Mailbox


class Command(BaseCommand):
    help = "Ingest one raw email message (RFC 5322) read from standard input."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--mailbox",
            help="The receiving mailbox's address (default: found from the recipients).",
        )

    def handle(self, *args, mailbox: str | None = None, **options) -> None:
        box = None
        if mailbox:
            box = Mailbox.objects.filter(address__iexact=mailbox.strip()).first()
            if box is None:
                raise CommandError(f"No mailbox has the address {mailbox}.")
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise CommandError("Standard input is empty: pipe one message into the command.")
        record = services.ingest(raw, mailbox=box, source=InboundSource.PIPE)
        ticket = f" ticket #{record.ticket_id}" if record.ticket_id else ""
        line = f"{record.get_state_display()}: {record.outcome or '-'}{ticket} (record {record.pk})"
        if record.reason:
            line += f" {record.reason}"
        self.stdout.write(line)
