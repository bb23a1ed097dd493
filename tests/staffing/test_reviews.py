"""Performance reviews with a frozen snapshot of the rep's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from csops.errors import InvalidInput, NotAllowed
from staffing.services import qa, reviews, training
from tests.staffing import builders

pytestmark = pytest.mark.django_db


def test_snapshot_holds_staffing_and_ticket_figures(team, rep, manager):
    # given in March: 2.5 h of training, a valid certification and two QA reviews
    with time_machine.travel("2026-03-05 09:00Z", tick=False):
        record = builders.record(rep, builders.course(hours=Decimal("2.50")))
        training.complete_training(record.pk, by=rep, completed_on=date(2026, 3, 5))
        builders.held(rep, issued_on=date(2026, 1, 1), expires_on=date(2028, 1, 1))
        card = builders.scorecard(manager)
        for values in [(5, 4, 1), (3, 3, 1)]:
            r = builders.review(team, rep, manager, card=card)
            qa.submit_scores(r.pk, by=manager, scores=builders.full_scores(r, values))
    # when the manager writes the March review
    with time_machine.travel("2026-04-01 09:00Z", tick=False):
        review = reviews.create_review(
            rep=rep,
            by=manager,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            summary="Reliable.",
            goals="Mentor a new hire.",
        )
        # later training does not change it
        later = builders.record(rep, builders.course("Later", hours=Decimal(8)))
        training.complete_training(later.pk, by=rep, completed_on=date(2026, 4, 1))
    review.refresh_from_db()
    assert review.snapshot == {
        "period": ["2026-03-01", "2026-03-31"],
        "tickets_solved": 0,  # kpis' provider: no ticket of the rep's in March
        "median_first_reply_seconds": None,
        "median_resolution_seconds": None,
        "csat_percent": None,
        "qa_average": "81.67",
        "qa_reviews": 2,
        "training_hours": "2.50",
        "certifications": [
            {"name": "Certified Support Pro", "issued_on": "2026-01-01", "expires_on": "2028-01-01"}
        ],
    }


def test_a_registered_kpi_provider_fills_the_ticket_figures(rep, manager):
    def kpis(rep, start, end):
        return {"tickets_solved": 41, "csat_percent": "92.5"}

    reviews.register_snapshot_provider(kpis)
    try:
        review = reviews.create_review(
            rep=rep,
            by=manager,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            summary="Good.",
        )
    finally:
        reviews._snapshot_providers.remove(kpis)
    assert (review.snapshot["tickets_solved"], review.snapshot["csat_percent"]) == (41, "92.5")
    assert "note" not in review.snapshot


def test_review_rules(rep, rep2, manager):
    with pytest.raises(NotAllowed):
        reviews.create_review(
            rep=rep2,
            by=rep,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            summary="x",
        )
    with pytest.raises(InvalidInput) as exc:
        reviews.create_review(
            rep=rep,
            by=manager,
            period_start=date(2026, 3, 31),
            period_end=date(2026, 3, 1),
            summary="x",
        )
    assert exc.value.fields == {"period_end": ["Before the start."]}
    review = reviews.create_review(
        rep=rep,
        by=manager,
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        summary="x",
    )
    with pytest.raises(NotAllowed):
        reviews.acknowledge(review.pk, by=manager)
    assert reviews.acknowledge(review.pk, by=rep).acknowledged_at is not None
