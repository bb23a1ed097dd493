"""QA scorecards and reviews: weighted arithmetic, critical criteria, versions, the flow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from csops.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from staffing import selectors
from staffing.models import QAReview
from staffing.services import qa
from tests.factories import make_ticket
from tests.staffing import builders
from tickets import services as ticket_services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("_case", "values", "raw", "score", "failed", "passed"),
    [
        # (1·5/5 + 3·4/5 + 2·1/1) / 6 = 5.4 / 6 = 90.00 %
        ("good", (5, 4, 1), "90.00", "90.00", False, True),
        # (1·3/5 + 3·3/5 + 2·1/1) / 6 = 4.4 / 6 = 73.33 %: below the 80 % pass mark
        ("below pass mark", (3, 3, 1), "73.33", "73.33", False, False),
        # (1 + 2.4 + 0) / 6 = 56.67 %, but the critical policy criterion failed: 0
        ("critical failed", (5, 4, 0), "56.67", "0.00", True, False),
    ],
)
def test_weighted_score_and_critical_criteria(
    team, rep, manager, _case, values, raw, score, failed, passed
):
    review = builders.review(team, rep, manager)
    done = qa.submit_scores(review.pk, by=manager, scores=builders.full_scores(review, values))
    assert (done.raw_score, done.score, done.failed_critical, done.passed, done.state) == (
        Decimal(raw),
        Decimal(score),
        failed,
        passed,
        "submitted",
    )


def test_score_outside_a_criterions_range_is_refused(team, rep, manager):
    review = builders.review(team, rep, manager)
    greeting, accuracy, policy = review.scorecard_version.criteria.order_by("order")
    scores = {greeting.pk: (6, ""), accuracy.pk: (4, ""), policy.pk: (1, "")}
    with pytest.raises(InvalidInput) as exc:
        qa.submit_scores(review.pk, by=manager, scores=scores)
    assert exc.value.fields == {f"criterion_{greeting.pk}": ["Greeting is scored from 0 to 5."]}
    del scores[policy.pk]
    scores[greeting.pk] = (5, "")
    with pytest.raises(InvalidInput) as exc:
        qa.submit_scores(review.pk, by=manager, scores=scores)
    assert exc.value.fields == {f"criterion_{policy.pk}": ["Score Policy followed."]}
    assert QAReview.objects.get(pk=review.pk).state == "pending"


def test_old_reviews_keep_their_scorecard_version(team, rep, manager):
    card = builders.scorecard(manager)
    old = builders.review(team, rep, manager, card=card)
    qa.submit_scores(old.pk, by=manager, scores=builders.full_scores(old))
    v2 = qa.revise_scorecard(card, by=manager, criteria=[{"name": "Empathy", "weight": 1}])
    new = builders.review(team, rep, manager, card=card)
    old.refresh_from_db()
    assert (old.scorecard_version.number, old.score) == (1, Decimal("90.00"))
    assert [c.name for c in old.scorecard_version.criteria.all()] == [
        "Greeting",
        "Accuracy",
        "Policy followed",
    ]
    assert (new.scorecard_version, [c.name for c in v2.criteria.all()]) == (v2, ["Empathy"])


def test_only_the_reps_managers_review_and_not_unassigned_tickets(team, rep, rep2, manager):
    card = builders.scorecard(manager)
    ticket = builders.assigned_ticket(team, rep)
    with pytest.raises(NotAllowed):
        qa.start_review(ticket.pk, scorecard=card, by=rep2)
    with pytest.raises(InvalidInput) as exc:
        qa.start_review(make_ticket(team).pk, scorecard=card, by=manager)
    assert "has no assignee" in exc.value.detail


def test_rep_acknowledges_or_disputes_and_manager_resolves(team, rep, rep2, manager):
    review = builders.submitted_review(team, rep, manager)
    with pytest.raises(NotFound):
        qa.acknowledge_review(review.pk, by=rep2)
    with pytest.raises(NotAllowed):
        qa.acknowledge_review(review.pk, by=manager)
    disputed = qa.dispute_review(review.pk, by=rep, comment="The refund policy allowed it.")
    assert (disputed.state, disputed.dispute_comment) == (
        "disputed",
        "The refund policy allowed it.",
    )
    with pytest.raises(InvalidTransition):
        qa.acknowledge_review(review.pk, by=rep)
    with pytest.raises(NotAllowed):
        qa.resolve_dispute(review.pk, by=rep, comment="I win")
    resolved = qa.resolve_dispute(review.pk, by=manager, comment="Agreed, policy 4.2 applies.")
    assert (resolved.state, resolved.resolved_by) == ("resolved", manager)

    other = builders.review(team, rep, manager, card=review.scorecard_version.scorecard)
    qa.submit_scores(other.pk, by=manager, scores=builders.full_scores(other))
    assert qa.acknowledge_review(other.pk, by=rep).state == "acknowledged"


@time_machine.travel("2026-03-10 09:00Z", tick=True)
def test_random_sample_of_a_reps_solved_tickets_in_a_period(team, rep, manager):
    card = builders.scorecard(manager)
    solved = []
    for n in range(4):
        t = builders.assigned_ticket(team, rep, subject=f"Case {n}")
        solved.append(
            ticket_services.reply(
                t.pk,
                by=rep,
                body="Done",
                public=True,
                new_status="solved",
                expected_version=t.version,
            )
        )
    builders.assigned_ticket(team, rep, subject="Still open")
    picked = qa.sample_reviews(
        rep=rep,
        start=date(2026, 3, 1),
        end=date(2026, 3, 10),
        count=3,
        scorecard=card,
        by=manager,
        seed=7,
    )
    assert len(picked) == 3
    assert {r.ticket_id for r in picked} < {t.pk for t in solved}
    assert {(r.rep_id, r.state) for r in picked} == {(rep.pk, "pending")}
    # a second sample takes only the ticket not reviewed yet
    again = qa.sample_reviews(
        rep=rep, start=date(2026, 3, 1), end=date(2026, 3, 10), count=3, scorecard=card, by=manager
    )
    assert [r.ticket_id for r in again] == sorted(
        {t.pk for t in solved} - {r.ticket_id for r in picked}
    )


def test_qa_averages_per_rep_and_team_over_time_and_by_criterion(team, rep, rep2, manager):
    card = builders.scorecard(manager)
    for who, values, when in [
        (rep, (5, 4, 1), "2026-02-10"),  # 90.00
        (rep, (3, 3, 1), "2026-03-05"),  # 73.33
        (rep2, (5, 4, 0), "2026-03-06"),  # 0.00 (critical)
    ]:
        with time_machine.travel(f"{when} 09:00Z", tick=False):
            r = builders.review(team, who, manager, card=card)
            qa.submit_scores(r.pk, by=manager, scores=builders.full_scores(r, values))
    figures = selectors.qa_averages(by="rep")
    assert [(f["key"], f["month"], f["average"], f["count"]) for f in figures["over_time"]] == [
        (rep.pk, date(2026, 2, 1), Decimal("90.00"), 1),
        (rep.pk, date(2026, 3, 1), Decimal("73.33"), 1),
        (rep2.pk, date(2026, 3, 1), Decimal("0.00"), 1),
    ]
    rita = [
        (f["criterion"], f["average_percent"])
        for f in figures["by_criterion"]
        if f["key"] == rep.pk
    ]
    # Accuracy 4+3 of 10, Greeting 5+3 of 10, Policy 1+1 of 2
    assert rita == [
        ("Accuracy", Decimal("70.00")),
        ("Greeting", Decimal("80.00")),
        ("Policy followed", Decimal("100.00")),
    ]
    team_figures = selectors.qa_averages(by="team", start=date(2026, 3, 1))
    assert [(f["key"], f["average"], f["count"]) for f in team_figures["over_time"]] == [
        (team.pk, Decimal("36.67"), 2)
    ]
    assert selectors.qa_summary(rep_id=rep.pk) == {"average": Decimal("81.67"), "count": 2}
