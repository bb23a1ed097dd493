"""SLA attainment (§6) from the engine's instances: finished outcomes through the rollups,
unfinished instances past their due time counted live (§9.16), breached-active now (§9.21)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kpis import selectors
from kpis.models import TicketSlaRow
from kpis.selectors import DashboardFilter
from tests.factories import make_ticket
from tests.kpis.engine_helpers import at, catch_up
from tests.policies.sla_builders import make_policy
from tickets.services import tickets as services

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)


def test_first_reply_attainment_and_live_breaches(team, rep, director):
    # given a 60-calendar-minute first reply target for normal tickets
    at("2025-03-01T00:00:00+00:00", lambda: make_policy(director))
    t1, t2, t3 = (at("2025-03-03T09:00:00+00:00", lambda: make_ticket(team)) for _ in range(3))
    t4 = at("2025-03-05T11:30:00+00:00", lambda: make_ticket(team))
    # when t1 is answered in time, t2 late, t3 never, t4 not yet due at NOW
    at("2025-03-03T09:30:00+00:00", lambda: services.reply(t1.pk, by=rep, body="Hi"))
    at("2025-03-03T10:30:00+00:00", lambda: services.reply(t2.pk, by=rep, body="Sorry"))
    catch_up()
    # then
    rows = {
        r.ticket_id: (r.outcome, r.finished, r.outcome_day)
        for r in TicketSlaRow.objects.filter(metric="first_reply")
    }
    assert rows == {
        t1.pk: ("achieved", True, date(2025, 3, 3)),
        t2.pk: ("breached", True, date(2025, 3, 3)),
        t3.pk: ("in_progress", False, date(2025, 3, 3)),  # due 10:00, after its last event
        t4.pk: ("in_progress", False, date(2025, 3, 5)),
    }
    s = selectors.summary(
        director, DashboardFilter(start=date(2025, 3, 3), end=date(2025, 3, 5)), now=NOW
    )
    fr = next(t for t in s.sla if t.metric == "first_reply")
    assert (fr.achieved, fr.breached) == (1, 2)
    assert fr.attainment == pytest.approx(100 / 3)
    assert s.tiles["sla_attainment"].value == pytest.approx(100 / 3)
    assert s.breached_active == 1  # t3
