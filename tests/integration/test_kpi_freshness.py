"""A real Celery worker on Redis keeps a dashboard value fresh: a committed ticket change
queues its refresh (on commit), the worker recomputes and folds, the summary shows it."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from kpis import selectors
from kpis.selectors import DashboardFilter
from kpis.zone import day_of
from tests.factories import make_ticket
from tests.integration.worker import running_worker
from tickets.services import tickets as services

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float = 30.0) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def test_worker_refreshes_the_dashboard(team, rep, director):
    today = day_of(timezone.now())
    f = DashboardFilter(start=today - timedelta(days=1), end=today)

    def tile(key: str):
        return selectors.summary(director, f).tiles[key].value

    with running_worker():
        # given a new ticket, committed
        ticket = make_ticket(team)
        # then the worker counts it within seconds, with no sweeper or beat involved
        assert _wait_for(lambda: tile("created") == 1) is not None, "created tile never moved"
        assert tile("backlog") == 1
        # when the rep answers and solves it
        services.reply(ticket.pk, by=rep, body="Fixed", new_status="solved")
        # then resolved, one-touch and the backlog follow
        assert _wait_for(lambda: tile("resolved") == 1) is not None, "resolved tile never moved"
        assert (tile("one_touch"), tile("backlog")) == (100.0, 0)
        fresh = selectors.freshness()
        assert fresh.behind_seconds == 0.0
        assert fresh.dirty_buckets == 0
