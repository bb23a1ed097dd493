"""A ticket deleted (the admin's delete cascades to its KPI rows) leaves every aggregate: the
days it counted on are refolded, and equal a full refold without it."""

from __future__ import annotations

from collections import Counter

import pytest

from kpis import backlog_fold, rollup
from kpis.models import (
    DailyBacklog,
    DailyHistogram,
    DailyRollup,
    DirtyBucket,
    OpenTicketsDay,
    TicketBacklogSpan,
    TicketMetricsRow,
    TicketSlaRow,
)
from kpis.refresh import refresh_tickets
from tickets.models import Ticket
from tickets.seeding import seed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _aggregates() -> tuple:
    def rows(model) -> Counter:
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        return Counter(model.objects.values_list(*fields))

    return tuple(rows(m) for m in (DailyRollup, DailyHistogram, DailyBacklog, OpenTicketsDay))


def test_deleting_tickets_refolds_the_days_they_counted_on():
    seed(400, seed=8)
    refresh_tickets(Ticket.objects.values_list("pk", flat=True))
    rollup.fold_dirty()
    backlog_fold.close_days()
    metrics = TicketMetricsRow.objects
    victims = [
        metrics.filter(resolved=False).values_list("ticket_id", flat=True).first(),
        metrics.filter(resolved=True, reopens__gte=1).values_list("ticket_id", flat=True).first(),
    ]
    assert None not in victims
    assert TicketBacklogSpan.objects.filter(ticket_id__in=victims).exists()
    # The demo has no SLA policy: give the resolved one a finished instance, folded.
    solved = metrics.get(ticket_id=victims[1])
    TicketSlaRow.objects.create(
        ticket_id=solved.pk,
        metric="resolution",
        index=1,
        activated_at=solved.created_at,
        ended_at=solved.resolved_at,
        finished=True,
        outcome="achieved",
        outcome_at=solved.resolved_at,
        outcome_day=solved.resolved_day,
        team_id=solved.resolved_team_id,
        priority=solved.resolved_priority,
        channel=solved.channel,
    )
    rollup.fold_all()
    before = _aggregates()
    assert DailyRollup.objects.filter(kind="sla", day=solved.resolved_day).exists()

    opened = metrics.get(ticket_id=victims[0]).created_day
    Ticket.objects.filter(pk__in=victims).delete()
    marked = set(DirtyBucket.objects.values_list("kind", "day"))
    assert {("open", opened), ("sla", solved.resolved_day)} <= marked
    rollup.fold_dirty()
    incremental = _aggregates()
    assert incremental != before  # the deleted tickets counted somewhere

    rollup.fold_all()
    assert _aggregates() == incremental
