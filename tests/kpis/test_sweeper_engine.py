"""Nothing depends on every message arriving: with the broker unreachable, the receiver's
publish fails quietly, and the sweeper later recomputes the tickets from their logs."""

from __future__ import annotations

import pytest

from csops.celery import app
from kpis import rollup, sweep
from kpis.models import DailyRollup, KpiHeartbeat, TicketMetricsRow
from kpis.models.rollups import ALL
from kpis.refresh import refresh_tickets
from tests.factories import make_ticket
from tickets.services import tickets as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    saved = app.conf.broker_url, app.conf.broker_connection_timeout
    app.conf.broker_url, app.conf.broker_connection_timeout = "redis://127.0.0.1:1/0", 0.2
    app._pool = None
    yield
    app.conf.broker_url, app.conf.broker_connection_timeout = saved
    app._pool = None


def test_events_written_while_the_broker_was_down_are_swept(
    team, rep, broker_down, django_capture_on_commit_callbacks
):
    # given tickets changed while the broker is unreachable (the on-commit publish fails)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(team)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(ticket.pk, by=rep, body="Hello")
    assert not TicketMetricsRow.objects.exists()
    # when the sweeper runs
    assert sweep.sweep() == 1
    rollup.fold_dirty()
    # then the ticket's metrics and rollups are there
    row = TicketMetricsRow.objects.get(ticket=ticket)
    assert (row.agent_replies, row.source_event_id) == (1, ticket.events.order_by("-pk")[0].pk)
    assert DailyRollup.objects.get(kind="first_reply", level=ALL).n == 1
    assert sweep.sweep() == 0  # nothing left


def test_sweeper_refreshes_a_row_older_than_its_log(team, rep):
    ticket = make_ticket(team)
    refresh_tickets([ticket.pk])
    services.reply(ticket.pk, by=rep, body="Hi", new_status="solved")  # message lost
    assert TicketMetricsRow.objects.get(ticket=ticket).resolved is False
    assert sweep.sweep(full=True) == 1
    assert TicketMetricsRow.objects.get(ticket=ticket).resolved is True


def test_a_spent_budget_stops_the_sweep_and_the_next_run_goes_on(team, monkeypatch):
    made = [make_ticket(team) for _ in range(3)]  # their refresh messages never ran
    monkeypatch.setattr(sweep, "CHUNK", 2)
    assert sweep.sweep(budget_seconds=0) == 2  # one chunk, then the budget is spent
    assert not KpiHeartbeat.objects.filter(name="sweep").exists()  # the window stays open
    assert sweep.sweep(budget_seconds=0) == 1
    assert sweep.sweep(budget_seconds=0) == 0
    assert KpiHeartbeat.objects.filter(name="sweep").exists()
    assert TicketMetricsRow.objects.filter(ticket__in=made).count() == 3
