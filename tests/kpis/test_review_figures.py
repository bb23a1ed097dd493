"""A performance review's ticket figures come from the KPI engine's per-ticket rows."""

from __future__ import annotations

from datetime import date

import pytest

from kpis.review_figures import review_figures
from staffing.services import reviews
from tests.factories import make_ticket
from tests.kpis.engine_helpers import at, catch_up
from tickets import services

pytestmark = pytest.mark.django_db


def _claim_and_reply(ticket, rep):
    services.claim(ticket.pk, by=rep)
    return services.reply(ticket.pk, by=rep, body="On it", expected_version=2)


def test_review_figures_count_the_reps_solves_and_medians(team, rep, manager):
    # given two tickets in March: replies after 30 and 90 minutes, solves after 1 and 3 hours
    # (solves count for the assignee at the solve, KPI_SPEC §4: the rep claims each ticket)
    for day, reply_at, solve_at in (("02", "09:30", "10:00"), ("03", "10:30", "12:00")):
        ticket = at(f"2026-03-{day}T09:00:00+00:00", lambda: make_ticket(team))
        at(f"2026-03-{day}T{reply_at}:00+00:00", lambda t=ticket: _claim_and_reply(t, rep))
        at(
            f"2026-03-{day}T{solve_at}:00+00:00",
            lambda t=ticket: services.update_ticket(
                t.pk, by=rep, expected_version=3, status="solved"
            ),
        )
    catch_up()
    # then the figures are the rep's, attributed to March
    assert review_figures(rep, date(2026, 3, 1), date(2026, 3, 31)) == {
        "tickets_solved": 2,
        "median_first_reply_seconds": 3600,  # median of 1800 and 5400
        "median_resolution_seconds": 7200,  # median of 3600 and 10800
        "csat_percent": None,
    }
    assert review_figures(rep, date(2026, 4, 1), date(2026, 4, 30))["tickets_solved"] == 0
    # and a review written now stores them
    review = at(
        "2026-04-01T09:00:00+00:00",
        lambda: reviews.create_review(
            rep=rep, by=manager, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31),
            summary="Steady.",
        ),
    )  # fmt: skip
    assert review.snapshot["tickets_solved"] == 2
    assert review.snapshot["median_resolution_seconds"] == 7200
