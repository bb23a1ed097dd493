"""Merged-away tickets in the KPIs (tickets/links/README.md): not resolutions, out of the
reply and resolution metrics, and the incremental path equals a full rebuild."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kpis import backlog_fold, rebuild, rollup, sweep
from kpis.metrics import compute
from kpis.models import DailyHistogram, DailyRollup, RebuildJob, TicketMetricsRow
from kpis.tasks import refresh_ticket_metrics
from policies.business_time import CALENDAR_HOURS
from policies.ticket_log import LogEvent
from tests.factories import make_ticket
from tests.kpis.engine_helpers import at
from tests.kpis.test_rollups import _backlog, _histograms, _rollups, _rows, _sla
from tickets import services
from tickets.links import services as links
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _ev(seq: int, minute: int, type_: str, role: str = "agent", **data) -> LogEvent:
    return LogEvent(seq, T0.replace(minute=minute), type_, role, 7 if role == "agent" else 3, data)


def test_a_merged_ticket_is_not_a_resolution_and_leaves_reply_metrics():
    # given: created 09:00, agent reply 09:05, solved 09:10, then merged 09:20
    log = [
        _ev(1, 0, "created", "customer", channel="email", priority="normal", team=1),
        _ev(2, 5, "public_reply"),
        _ev(3, 10, "status_changed", **{"from": "new", "to": "solved"}),
        _ev(4, 20, "merged_into", into=99),
    ]
    m = compute(log, sla_policy=None, schedule=CALENDAR_HOURS, as_of=T0.replace(hour=10))
    assert m.merged is True
    assert (m.resolved, m.first_reply, m.first_resolution, m.full_resolution) == (
        False, None, None, None,
    )  # fmt: skip
    assert (m.first_reply_attribution, m.resolution_attribution) == (None, None)
    assert (m.one_touch, m.fcr) == (None, None)
    assert m.final.status == "closed"
    assert m.created.at == T0  # still counted as created
    # the same log without the merge is a resolution
    plain = compute(log[:3], sla_policy=None, schedule=CALENDAR_HOURS, as_of=T0.replace(hour=10))
    assert (plain.resolved, plain.first_reply.calendar_seconds) == (True, 300)


def test_a_merge_ends_the_backlog_span_without_a_solve():
    log = [
        _ev(1, 0, "created", "customer", channel="email", priority="normal", team=1),
        _ev(2, 30, "merged_into", into=99),
    ]
    m = compute(log, sla_policy=None, schedule=CALENDAR_HOURS, as_of=T0.replace(hour=12))
    assert [(s.start, s.end) for s in m.backlog] == [(T0, T0.replace(minute=30))]


def test_incremental_with_merges_equals_a_full_rebuild(team, rep):
    # given: tickets replied to, solved, merged (one after a solve), and refreshed as they go
    def build() -> list[Ticket]:
        made = [make_ticket(team, subject=f"T{i}") for i in range(8)]
        services.reply(made[0].pk, by=rep, body="On it")
        services.reply(made[1].pk, by=rep, body="Done", new_status="solved")
        services.reply(made[2].pk, by=rep, body="On it")
        links.merge([made[1].pk, made[2].pk], into=made[0].pk, by=rep)
        links.link(made[3].pk, other=made[4].pk, kind="parent", by=rep)
        services.reply(made[5].pk, by=rep, body="Done", new_status="solved")
        return made

    made = at("2026-03-02T10:00:00", build)
    for t in made:
        refresh_ticket_metrics(t.pk)
    rollup.fold_dirty()
    at("2026-03-03T08:00:00", lambda: links.merge([made[6].pk], into=made[7].pk, by=rep))
    refresh_ticket_metrics(made[6].pk)  # made[7]'s refresh message is "lost"
    sweep.sweep(full=True)
    rollup.fold_dirty()
    backlog_fold.close_days()
    incremental = (_rows(), _rollups(), _sla(), _histograms(), _backlog())

    merged = TicketMetricsRow.objects.get(ticket_id=made[1].pk)
    assert (merged.resolved, merged.first_reply_at, merged.resolved_at) == (False, None, None)
    assert TicketMetricsRow.objects.get(ticket_id=made[5].pk).resolved is True

    # when: everything is rebuilt from the logs
    TicketMetricsRow.objects.all().delete()
    DailyRollup.objects.all().delete()
    DailyHistogram.objects.all().delete()
    job = rebuild.run(RebuildJob.objects.create(created_at=made[0].created_at), chunk=3)
    assert job.state == "done"
    rebuilt = (_rows(), _rollups(), _sla(), _histograms(), _backlog())

    # then
    assert incremental[0] == rebuilt[0]
    assert incremental[1:] == rebuilt[1:]
