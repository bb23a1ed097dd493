"""The unfiltered live backlog from open tickets per creation day (kpis.selectors.open_backlog)
equals counting every open ticket, folded or with days awaiting their fold, at any instant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from kpis import rollup, stats
from kpis.models import DirtyBucket, OpenTicketsDay, RebuildJob, TicketMetricsRow
from kpis.models.ticket_metrics import ACTIONABLE_STATUSES, UNRESOLVED_STATUSES
from kpis.open_days import OPEN
from kpis.refresh import refresh_tickets
from kpis.selectors import open_backlog
from kpis.selectors.filters import DashboardFilter
from kpis.selectors.summary import _AGE_BOUNDS, backlog
from tickets.models import Ticket
from tickets.seeding import seed
from tickets.services import tickets as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _expected(now) -> tuple:
    """Every open ticket counted by hand."""
    rows = list(
        TicketMetricsRow.objects.filter(status__in=UNRESOLVED_STATUSES).values_list(
            "created_at", "status"
        )
    )
    ages = sorted((now - created).total_seconds() for created, _ in rows)
    bounds = [d * 86400 for d in _AGE_BOUNDS]
    buckets = [
        sum(1 for a in ages if lo <= a < hi) for lo, hi in zip(bounds, bounds[1:], strict=False)
    ]
    buckets.append(sum(1 for a in ages if a >= bounds[-1]))
    return (
        len(rows),
        sum(1 for _, status in rows if status in ACTIONABLE_STATUSES),
        buckets,
        stats.percentile_cont(ages, 0.5),
        stats.percentile_cont(ages, 0.9),
    )


def _same(got, expected) -> None:
    assert got[:3] == expected[:3]
    assert got[3] == pytest.approx(expected[3], abs=1e-6)
    assert got[4] == pytest.approx(expected[4], abs=1e-6)


@pytest.fixture
def folded():
    seed(2500, seed=11)
    refresh_tickets(Ticket.objects.values_list("pk", flat=True))
    rollup.fold_dirty()
    assert not DirtyBucket.objects.exists()
    assert OpenTicketsDay.objects.count() > 10


def test_equals_counting_every_open_ticket_at_any_instant(folded):
    now = timezone.now()
    assert _expected(now)[0] > 50
    assert sum(1 for n in _expected(now)[2] if n) >= 3  # tickets in several age buckets
    for at in (
        now,
        now - timedelta(hours=7),
        now - timedelta(days=3, minutes=5),
        now + timedelta(days=2),
    ):
        _same(open_backlog.counts(at, _AGE_BOUNDS), _expected(at))


def test_days_awaiting_their_fold_are_counted_from_the_tickets(folded):
    opened = []
    for ticket in Ticket.objects.filter(status__in=["open", "pending"]).order_by("pk")[:50]:
        rep = User.objects.filter(groups__name="Rep", teams=ticket.team_id).first()
        if rep is not None and len(opened) < 3:
            services.reply(ticket.pk, by=rep, body="Done", new_status="solved")
            opened.append(ticket)
    changed = [t.pk for t in opened]
    assert len(changed) == 3
    refresh_tickets(changed)
    marked = set(DirtyBucket.objects.filter(kind=OPEN).values_list("day", flat=True))
    assert marked
    assert marked == set(
        TicketMetricsRow.objects.filter(pk__in=changed).values_list("created_day", flat=True)
    )
    now = timezone.now()
    _same(open_backlog.counts(now, _AGE_BOUNDS), _expected(now))  # from the tickets
    rollup.fold_dirty()
    assert not DirtyBucket.objects.filter(kind=OPEN).exists()
    _same(open_backlog.counts(now, _AGE_BOUNDS), _expected(now))  # from the folded days


def test_the_dashboard_backlog_reads_it_and_counts_the_tickets_during_a_rebuild(folded):
    now = timezone.now()
    f = DashboardFilter.last_days(30)
    folded_days = backlog(f, None, now)
    RebuildJob.objects.create(created_at=now, state=RebuildJob.State.RUNNING)
    assert open_backlog.counts(now, _AGE_BOUNDS) is None
    assert backlog(f, None, now) == folded_days
    expected = _expected(now)
    assert (folded_days.count, folded_days.actionable) == expected[:2]
    assert list(folded_days.buckets.values()) == expected[2]
