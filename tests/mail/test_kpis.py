"""Mail in the KPIs: customer mail replies are customer replies with channel email, auto-replies
and bounces count for nothing, and the incremental metrics equal a full rebuild."""

from __future__ import annotations

from collections import Counter

import pytest

from kpis import rebuild, rollup
from kpis.models import DailyRollup, RebuildJob, TicketMetricsRow
from kpis.tasks import refresh_ticket_metrics
from tests.mail.conftest import corpus
from tickets import services as ticket_services
from tickets.mail.inbound import services
from tickets.models import OutboundMessage, Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Fields that move with every event of any type: the latest event, and durations (waits, work)
# that are measured up to it.
VOLATILE = {"computed_at", "source_event_id", "last_event_at"}


def _row(ticket_id: int) -> dict:
    row = TicketMetricsRow.objects.filter(ticket_id=ticket_id).values().get()
    return {k: v for k, v in row.items() if k not in VOLATILE and not k.endswith(("_cal", "_bus"))}


def _all_rows() -> dict[int, tuple]:
    fields = [f.attname for f in TicketMetricsRow._meta.concrete_fields if f.name != "computed_at"]
    return {r[0]: r for r in TicketMetricsRow.objects.order_by("pk").values_list(*fields)}


def _rollups() -> Counter:
    fields = [f.attname for f in DailyRollup._meta.concrete_fields if f.name != "id"]
    return Counter(DailyRollup.objects.values_list(*fields))


def test_mail_conversations_give_the_same_metrics_incrementally_as_a_rebuild(mailbox, rep):
    first = services.ingest(corpus("new_plain.eml"), source="pipe")
    ticket_id = first.ticket_id
    refresh_ticket_metrics(ticket_id)
    ticket_services.reply(ticket_id, by=rep, body="Try water.", new_status="pending")
    ours = OutboundMessage.objects.get(ticket_id=ticket_id, kind="reply").message_id
    refresh_ticket_metrics(ticket_id)
    before_noise = _row(ticket_id)
    assert before_noise["channel"] == "email"

    # An out-of-office and a bounce change no metric of the ticket.
    for name in ("out_of_office.eml", "bounce.eml"):
        record = services.ingest(corpus(name, TICKET=ticket_id, OUR_ID=ours), source="pipe")
        assert record.event.type == "auto_reply"
        refresh_ticket_metrics(ticket_id)
    assert _row(ticket_id) == before_noise
    assert (before_noise["customer_followups"], before_noise["reopens"]) == (0, 0)
    assert Ticket.objects.get(pk=ticket_id).status == "pending"

    # A real customer mail reopens; the rep solves; the colleague's mail reopens again.
    services.ingest(corpus("own_followup.eml"), source="pipe")
    refresh_ticket_metrics(ticket_id)
    after_reply = _row(ticket_id)
    assert (after_reply["customer_followups"], after_reply["reopens"]) == (1, 0)
    assert Ticket.objects.get(pk=ticket_id).status == "open"
    ticket_services.reply(ticket_id, by=rep, body="Fixed.", new_status="solved")
    refresh_ticket_metrics(ticket_id)
    services.ingest(corpus("cc_reply_all.eml"), source="pipe")
    refresh_ticket_metrics(ticket_id)
    other = services.ingest(corpus("charset_latin1.eml"), source="pipe")
    refresh_ticket_metrics(other.ticket_id)
    rollup.fold_dirty()
    incremental = (_all_rows(), _rollups())
    assert len(incremental[0]) == 2

    TicketMetricsRow.objects.all().delete()
    DailyRollup.objects.all().delete()
    job = rebuild.run(RebuildJob.objects.create(created_at=first.ticket.created_at), chunk=10)
    assert job.state == "done"
    assert (_all_rows(), _rollups()) == incremental
