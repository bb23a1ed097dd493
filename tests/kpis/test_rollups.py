"""Convergence: whatever order the incremental path ran in (random batches, folds in between,
lost messages caught by the sweeper, reopens moving buckets), its metric rows and rollups equal
a full rebuild from the event log, row by row and rollup by rollup."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum

from kpis import backlog_fold, rebuild, rollup, sweep
from kpis.models import (
    DailyBacklog,
    DailyHistogram,
    DailyRollup,
    DirtyBucket,
    RebuildJob,
    TicketBacklogSpan,
    TicketMetricsRow,
    TicketSlaRow,
)
from kpis.models.rollups import ALL, BY_TEAM, DIMS, FULL
from kpis.refresh import refresh_tickets
from kpis.tasks import refresh_ticket_metrics
from tickets.models import Ticket
from tickets.seeding import seed
from tickets.services import tickets as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

N_TICKETS = 3000


def _rows() -> dict[int, tuple]:
    fields = [f.attname for f in TicketMetricsRow._meta.concrete_fields if f.name != "computed_at"]
    return {r[0]: r for r in TicketMetricsRow.objects.order_by("pk").values_list(*fields)}


def _rollups() -> Counter:
    fields = [f.attname for f in DailyRollup._meta.concrete_fields if f.name != "id"]
    return Counter(DailyRollup.objects.values_list(*fields))


def _histograms() -> Counter:
    return Counter(
        DailyHistogram.objects.values_list(
            "kind", "hours", "day", "span", "level", "team_id", "bin", "n"
        )
    )


def _backlog() -> tuple[Counter, Counter]:
    spans = Counter(
        TicketBacklogSpan.objects.values_list(
            *[f.attname for f in TicketBacklogSpan._meta.concrete_fields if f.name != "id"]
        )
    )
    days = Counter(
        DailyBacklog.objects.values_list(
            *[f.attname for f in DailyBacklog._meta.concrete_fields if f.name != "id"]
        )
    )
    return spans, days


def _sla() -> set:
    fields = [f.attname for f in TicketSlaRow._meta.concrete_fields if f.name != "id"]
    return set(TicketSlaRow.objects.values_list(*fields))


def _act(rng: random.Random, ticket: Ticket, agent: User) -> None:
    """One random action through the services (reopens, solves, transfers, replies)."""
    if ticket.status == "closed":
        return
    if ticket.status == "solved" or rng.random() < 0.3:
        services.customer_reply(ticket.pk, customer=ticket.requester, body="Any news?")
    elif rng.random() < 0.5:
        services.reply(
            ticket.pk, by=agent, body="Solved", new_status="solved", confirm_open_children=True
        )  # the demo has a parent with open children
    else:
        services.update_ticket(ticket.pk, by=agent, expected_version=None, priority="high")


def test_incremental_equals_full_rebuild():
    rng = random.Random(11)
    seed(N_TICKETS, seed=3)
    ids = list(Ticket.objects.values_list("pk", flat=True))
    rng.shuffle(ids)
    # Incremental: random batches and folds in between.
    while ids:
        take = rng.randint(1, 300)
        batch, ids = ids[:take], ids[take:]
        refresh_tickets(batch)
        if rng.random() < 0.3:
            rollup.fold_dirty(batch=rng.randint(5, 100))
    rollup.fold_dirty()
    # Later actions: each "message" refreshes its ticket, but a fifth of them are lost.
    director = (
        User.objects.filter(groups__name="Director").first()
        or User.objects.filter(is_superuser=True).first()
    )
    assert director is not None
    open_ = list(Ticket.objects.exclude(status="closed").order_by("pk"))  # seeded relative to now
    touched = rng.sample(open_, min(150, len(open_)))
    assert len(touched) >= 50
    for ticket in touched:
        _act(rng, Ticket.objects.get(pk=ticket.pk), director)
        if rng.random() < 0.8:
            refresh_ticket_metrics(ticket.pk)
        if rng.random() < 0.1:
            rollup.fold_dirty()
    assert sweep.sweep(full=True) > 0  # the lost messages
    rollup.fold_dirty()
    backlog_fold.close_days()
    incremental = (_rows(), _rollups(), _sla(), _histograms(), _backlog())
    assert len(incremental[0]) == N_TICKETS + 3  # + the demo mail thread and portal tickets
    assert not DirtyBucket.objects.exists()

    # Full rebuild from scratch.
    TicketMetricsRow.objects.all().delete()
    DailyRollup.objects.all().delete()
    DailyHistogram.objects.all().delete()
    job = rebuild.run(
        RebuildJob.objects.create(created_at=Ticket.objects.first().created_at), chunk=700
    )
    assert (job.state, job.done, job.total) == ("done", N_TICKETS + 3, N_TICKETS + 3)
    rebuilt = (_rows(), _rollups(), _sla(), _histograms(), _backlog())

    assert incremental[0].keys() == rebuilt[0].keys()
    differing = [pk for pk in incremental[0] if incremental[0][pk] != rebuilt[0][pk]]
    assert differing == []
    assert incremental[1] == rebuilt[1]
    assert incremental[2] == rebuilt[2]
    assert incremental[3] == rebuilt[3]
    assert incremental[4] == rebuilt[4]
    spans, days = incremental[4]
    assert len(spans) > 100
    assert sum(n for row, n in days.items() if row[1] == 2) > 30  # ALL-level days folded
    # value bins count every value once per level, hours and span (days, and ISO weeks)
    replied = TicketMetricsRow.objects.filter(first_reply_day__isnull=False).count()
    for hours in ("cal", "bus"):
        for level in (1, 2):
            for span in (1, 7):
                bins = DailyHistogram.objects.filter(
                    kind="first_reply", hours=hours, level=level, span=span
                )
                assert sum(bins.values_list("n", flat=True)) == replied > 0
    weeks = DailyHistogram.objects.filter(span=7).values_list("day", flat=True)
    assert {d.weekday() for d in weeks} == {0}  # week rows start on Mondays
    # and the reopens really moved buckets: resolved counts equal the resolved rows per day
    resolved_rows = TicketMetricsRow.objects.filter(resolved_day__isnull=False).count()
    resolved_n = DailyRollup.objects.filter(kind="resolved", level=0).values_list("n", flat=True)
    assert sum(resolved_n) == resolved_rows
    # every level (full cube, by team, all, without agent) carries the same totals
    for kind in ("created", "first_reply", "resolved"):
        totals = {
            level: sum(
                DailyRollup.objects.filter(kind=kind, level=level).values_list("n", flat=True)
            )
            for level in (FULL, BY_TEAM, ALL, DIMS)
        }
        assert len(set(totals.values())) == 1, (kind, totals)
    # and the level without agent is the full cube summed over agents, cell by cell
    assert not DailyRollup.objects.filter(level=DIMS, agent_id__isnull=False).exists()
    assert _summed_over_agents(DailyRollup, "kind", "metric") == _cells(
        DailyRollup, "kind", "metric"
    )
    assert _summed_over_agents(DailyBacklog) == _cells(DailyBacklog)
    assert len(_cells(DailyBacklog)) > len(_cells(DailyBacklog, level=BY_TEAM)) > 0


_CELL = ("day", "team_id", "channel", "priority")
_MEASURES = {
    DailyRollup: ("n", "sum_cal", "sum_bus", "n_fcr", "n_one_touch", "n_reopened", "n_breached"),
    DailyBacklog: ("n", "n_actionable", "n_age_0", "n_age_4"),
}


def _summed_over_agents(model, *keys: str) -> set:
    """``(keys, cell, sums)`` of the full cube, summed per cell over agents."""
    sums = {f"sum_{f}": Sum(f) for f in _MEASURES[model]}
    rows = model.objects.filter(level=FULL).values(*keys, *_CELL).annotate(**sums)
    return {tuple(r[k] for k in (*keys, *_CELL, *sums)) for r in rows}


def _cells(model, *keys: str, level: int = DIMS) -> set:
    return set(model.objects.filter(level=level).values_list(*keys, *_CELL, *_MEASURES[model]))
