"""A QA dispute resolved by amending the scores: validation as in the first scoring, the
score recomputed, the original kept, the rep told, figures read the amended score; page and
API; only the rep's managers and directors, never the rep.

Scorecard (tests/staffing/builders.py): Greeting weight 1 of 5, Accuracy weight 3 of 5,
Policy followed weight 2 of 1, critical below 1; pass mark 80 %.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from csops.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from csops.models import Notification
from csops.roles import Role
from staffing import selectors
from staffing.models import QAAmendment, QAReview, QAScore
from staffing.services import qa, reviews
from tests.factories import UserFactory
from tests.staffing import builders

pytestmark = pytest.mark.django_db
REASON = "The refund policy allowed it: see 4.2."


@pytest.fixture
def clock():
    with time_machine.travel("2026-03-10 09:00:00+00:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def disputed(clock, team, rep, manager) -> QAReview:
    """Scored (3, 3, 0): (1·3/5 + 3·3/5 + 0) / 6 = 2.4 / 6 = 40.00 % weighted, but the
    critical policy criterion failed: 0.00 %. The rep disputes it."""
    r = builders.review(team, rep, manager)
    qa.submit_scores(r.pk, by=manager, scores=builders.full_scores(r, (3, 3, 0)))
    return qa.dispute_review(r.pk, by=rep, comment=REASON)


def _scores(review: QAReview, values: tuple[int, ...], comments=("", "", "")) -> dict:
    criteria = review.scorecard_version.criteria.order_by("order")
    return {c.pk: (v, n) for c, v, n in zip(criteria, values, comments, strict=True)}


def _state(review: QAReview) -> tuple:
    r = QAReview.objects.get(pk=review.pk)
    return (r.state, r.score, r.raw_score, [s.score for s in r.scores.all()])


def test_amending_recomputes_the_score_and_keeps_the_original(disputed, rep, manager, clock):
    # when the manager amends to (4, 4, 1): (0.8 + 2.4 + 2) / 6 = 5.2 / 6 = 86.67 %, passed
    clock.shift(timedelta(hours=2))
    done = qa.resolve_by_amending(
        disputed.pk,
        by=manager,
        scores=_scores(disputed, (4, 4, 1), ("", "", "Policy 4.2 allows it.")),
        comment="Agreed, policy 4.2 applies.",
    )
    # then the review carries the amended scoring
    done = QAReview.objects.get(pk=disputed.pk)
    assert (done.raw_score, done.score, done.failed_critical, done.passed) == (
        Decimal("86.67"), Decimal("86.67"), False, True,
    )  # fmt: skip
    assert (done.state, done.resolution, done.resolved_by, done.resolution_comment) == (
        "resolved", "amended", manager, "Agreed, policy 4.2 applies.",
    )  # fmt: skip
    assert done.resolved_at.isoformat() == "2026-03-10T11:00:00+00:00"
    assert [(s.criterion.name, s.score, s.comment) for s in done.scores.all()] == [
        ("Greeting", 4, ""), ("Accuracy", 4, ""), ("Policy followed", 1, "Policy 4.2 allows it."),
    ]  # fmt: skip
    # and the amendment keeps the scoring before and after
    amendment = QAAmendment.objects.get(review=done)
    ids = [c.pk for c in done.scorecard_version.criteria.order_by("order")]
    assert (amendment.amended_by, amendment.comment) == (manager, "Agreed, policy 4.2 applies.")
    assert amendment.before == {
        "raw_score": "40.00",
        "score": "0.00",
        "failed_critical": True,
        "passed": False,
        "scores": [
            {"criterion": ids[0], "name": "Greeting", "score": 3, "comment": ""},
            {"criterion": ids[1], "name": "Accuracy", "score": 3, "comment": ""},
            {"criterion": ids[2], "name": "Policy followed", "score": 0, "comment": ""},
        ],
    }
    assert (amendment.after["score"], amendment.after["passed"]) == ("86.67", True)
    assert [(c["name"], c["before"], c["after"]) for c in amendment.changes] == [
        ("Greeting", 3, 4), ("Accuracy", 3, 4), ("Policy followed", 0, 1),
    ]  # fmt: skip
    # and the rep is told the new score
    note = Notification.objects.get(user=rep, key=f"qa:{done.pk}:resolved")
    assert note.text == (
        f"Your dispute of the QA review of ticket #{done.ticket_number} is resolved: "
        "the score is amended from 0.00% to 86.67%."
    )


def test_an_amendment_can_still_fail_on_a_critical_criterion(disputed, manager):
    # (5, 5, 0): (1 + 3 + 0) / 6 = 66.67 % weighted, the critical criterion still failed
    done = qa.resolve_by_amending(
        disputed.pk, by=manager, scores=_scores(disputed, (5, 5, 0)), comment="Tone was fine."
    )
    assert (done.raw_score, done.score, done.failed_critical, done.passed) == (
        Decimal("66.67"), Decimal("0.00"), True, False,
    )  # fmt: skip


def test_qa_figures_and_later_snapshots_read_the_amended_score(disputed, rep, manager, clock):
    period = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
    assert selectors.qa_summary(rep_id=rep.pk, **period) == {
        "average": Decimal("0.00"), "count": 1,
    }  # fmt: skip
    before = reviews.create_review(rep=rep, by=manager, period_start=period["start"],
                                   period_end=period["end"], summary="March.")  # fmt: skip
    qa.resolve_by_amending(
        disputed.pk, by=manager, scores=_scores(disputed, (4, 4, 1)), comment="Agreed."
    )
    # the QA average and the dashboards' figures read the amended score
    assert selectors.qa_summary(rep_id=rep.pk, **period) == {
        "average": Decimal("86.67"), "count": 1,
    }  # fmt: skip
    figures = selectors.qa_averages(rep_ids=[rep.pk], **period)
    assert figures["over_time"] == [
        {"key": rep.pk, "month": date(2026, 3, 1), "average": Decimal("86.67"), "count": 1}
    ]
    assert [(c["criterion"], c["average_percent"]) for c in figures["by_criterion"]] == [
        ("Accuracy", Decimal("80.00")), ("Greeting", Decimal("80.00")),
        ("Policy followed", Decimal("100.00")),
    ]  # fmt: skip
    # a snapshot taken from now on has the amended average; one taken before stays frozen
    after = reviews.create_review(rep=rep, by=manager, period_start=period["start"],
                                  period_end=period["end"], summary="March, again.")  # fmt: skip
    assert (after.snapshot["qa_average"], after.snapshot["qa_reviews"]) == ("86.67", 1)
    before.refresh_from_db()
    assert before.snapshot["qa_average"] == "0.00"


GREETING_TOO_HIGH = {0: ["Greeting is scored from 0 to 5."]}
POLICY_MISSING = {2: ["Score Policy followed."]}


@pytest.mark.parametrize(
    ("_case", "values", "errors"),
    [
        ("above the maximum", (6, 4, 1), GREETING_TOO_HIGH),
        ("a criterion left out", (4, 4), POLICY_MISSING),
        ("unchanged", (3, 3, 0), {"scores": ["Change at least one score or comment."]}),
    ],
)
def test_invalid_amendments_are_refused_and_change_nothing(
    disputed, manager, _case, values, errors
):
    ids = [c.pk for c in disputed.scorecard_version.criteria.order_by("order")]
    scores = {ids[i]: (v, "") for i, v in enumerate(values)}
    before = _state(disputed)
    with pytest.raises(InvalidInput) as exc:
        qa.resolve_by_amending(disputed.pk, by=manager, scores=scores, comment="Rescored.")
    fields = {(f"criterion_{ids[k]}" if isinstance(k, int) else k): v for k, v in errors.items()}
    assert exc.value.fields == fields
    assert _state(disputed) == before
    assert not QAAmendment.objects.exists()


def test_unknown_criteria_and_a_missing_reason_are_refused(disputed, manager):
    scores = {**_scores(disputed, (4, 4, 1)), 999999: (1, "")}
    with pytest.raises(InvalidInput) as exc:
        qa.resolve_by_amending(disputed.pk, by=manager, scores=scores, comment="Rescored.")
    assert exc.value.fields == {"scores": ["Not criteria of this scorecard: [999999]."]}
    with pytest.raises(InvalidInput) as exc:
        qa.resolve_by_amending(
            disputed.pk, by=manager, scores=_scores(disputed, (4, 4, 1)), comment="  "
        )
    assert exc.value.fields == {"comment": ["Required."]}
    assert _state(disputed)[0] == "disputed"


def test_only_the_reps_managers_and_directors_amend_never_the_rep(
    disputed, rep, rep2, rep_other_team, other_team, director
):
    scores = _scores(disputed, (4, 4, 1))
    before = _state(disputed)
    with pytest.raises(NotAllowed, match="You do not manage this person's team."):
        qa.resolve_by_amending(disputed.pk, by=rep, scores=scores, comment="I win.")
    billing_manager = UserFactory(username="bill", role=Role.MANAGER)
    other_team.managers.add(billing_manager)
    for outsider in (rep2, rep_other_team, billing_manager):
        with pytest.raises(NotFound):
            qa.resolve_by_amending(disputed.pk, by=outsider, scores=scores, comment="Mine.")
    assert _state(disputed) == before
    # a director may
    assert qa.resolve_by_amending(disputed.pk, by=director, scores=scores, comment="Ok.").score == (
        Decimal("86.67")
    )


def test_a_manager_never_amends_a_dispute_of_their_own_review(team, manager, director):
    # given a manager who is also on the team, reviewed by a director, who disputes it
    team.members.add(manager)
    r = builders.review(team, manager, director)
    qa.submit_scores(r.pk, by=director, scores=builders.full_scores(r, (3, 3, 0)))
    qa.dispute_review(r.pk, by=manager, comment="Unfair.")
    with pytest.raises(NotAllowed, match="You cannot resolve a dispute of your own review."):
        qa.resolve_by_amending(r.pk, by=manager, scores=_scores(r, (5, 5, 1)), comment="Fixed.")


def test_only_a_disputed_review_is_amended_and_only_once(team, rep, manager, disputed):
    submitted = builders.review(team, rep, manager, card=disputed.scorecard_version.scorecard)
    qa.submit_scores(submitted.pk, by=manager, scores=builders.full_scores(submitted))
    with pytest.raises(InvalidTransition, match="Only a disputed review can be resolved."):
        qa.resolve_by_amending(
            submitted.pk, by=manager, scores=_scores(submitted, (4, 4, 1)), comment="Rescored."
        )
    qa.resolve_by_amending(
        disputed.pk, by=manager, scores=_scores(disputed, (4, 4, 1)), comment="Rescored."
    )
    with pytest.raises(InvalidTransition):
        qa.resolve_by_amending(
            disputed.pk, by=manager, scores=_scores(disputed, (5, 5, 1)), comment="Again."
        )
    assert QAAmendment.objects.count() == 1


def test_upholding_records_the_resolution(disputed, rep, manager):
    done = qa.resolve_dispute(disputed.pk, by=manager, comment="The score stands.")
    assert (done.state, done.resolution, done.score) == ("resolved", "upheld", Decimal("0.00"))
    assert not QAAmendment.objects.exists()
    assert Notification.objects.get(user=rep, key=f"qa:{done.pk}:resolved").text.endswith(
        "is resolved: the score stands."
    )


def test_amend_in_the_page(disputed, manager, manager_client, rep_client):
    url = reverse("staffing:qa-review", args=[disputed.pk])
    amend = reverse("staffing:qa-amend", args=[disputed.pk])
    ids = [c.pk for c in disputed.scorecard_version.criteria.order_by("order")]
    # the manager sees the amend form, prefilled with the current scores
    page = manager_client.get(url).content.decode()
    assert 'id="amend-form"' in page
    assert f'name="criterion_{ids[0]}" value="3"' in page
    # the rep does not, and posting is refused without changing anything
    assert 'id="amend-form"' not in rep_client.get(url).content.decode()
    form = {f"criterion_{ids[0]}": 4, f"criterion_{ids[1]}": 4, f"criterion_{ids[2]}": 1,
            "comment": "Agreed."}  # fmt: skip
    before = _state(disputed)
    assert rep_client.post(amend, form).status_code == 403
    assert _state(disputed) == before
    # a score out of range comes back with the error next to the criterion
    bad = manager_client.post(amend, {**form, f"criterion_{ids[0]}": 9})
    assert bad.status_code == 422
    assert "Greeting is scored from 0 to 5." in bad.content.decode()
    assert _state(disputed) == before
    # a valid amendment resolves the dispute and shows the original scoring
    response = manager_client.post(amend, form)
    assert response.status_code == 302
    assert _state(disputed) == ("resolved", Decimal("86.67"), Decimal("86.67"), [4, 4, 1])
    page = rep_client.get(url).content.decode()
    assert '<span id="score-before">0.00%</span> → <span id="score-after">86.67%</span>' in page
    assert f"Score amended by {manager.get_full_name()}:" in page


def test_amend_through_the_api(disputed, manager_client, rep_client):
    url = f"/api/v1/qa-reviews/{disputed.pk}/amend/"
    ids = [c.pk for c in disputed.scorecard_version.criteria.order_by("order")]
    QAScore.objects.filter(review=disputed, criterion_id=ids[1]).update(comment="Wrong fee.")
    body = {
        "scores": [
            {"criterion": ids[0], "score": 4, "comment": "Greeted late."},
            {"criterion": ids[1], "score": 4},  # no comment: keeps "Wrong fee."
            {"criterion": ids[2], "score": 1},
        ],
        "comment": "Agreed.",
    }
    refused = rep_client.post(url, json.dumps(body), content_type="application/json")
    assert (refused.status_code, refused.json()["error"]) == (403, "not_allowed")
    bad = manager_client.post(
        url, json.dumps({**body, "scores": body["scores"][:2]}), content_type="application/json"
    )
    assert (bad.status_code, bad.json()["fields"]) == (
        422, {f"criterion_{ids[2]}": ["Score Policy followed."]},
    )  # fmt: skip
    response = manager_client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert (data["state"], data["resolution"], data["score"], data["passed"]) == (
        "resolved", "amended", "86.67", True,
    )  # fmt: skip
    assert [(s["score"], s["comment"]) for s in data["scores"]] == [
        (4, "Greeted late."), (4, "Wrong fee."), (1, ""),
    ]  # fmt: skip
    assert (data["amendment"]["before"]["score"], data["amendment"]["after"]["score"]) == (
        "0.00", "86.67",
    )  # fmt: skip
    detail = rep_client.get(f"/api/v1/qa-reviews/{disputed.pk}/").json()
    assert detail["amendment"]["comment"] == "Agreed."


def test_admin_shows_the_amendment_read_only(disputed, manager, admin_user, client_for):
    qa.resolve_by_amending(
        disputed.pk, by=manager, scores=_scores(disputed, (4, 4, 1)), comment="Rescored."
    )
    page = client_for(admin_user).get(reverse("admin:staffing_qareview_change", args=[disputed.pk]))
    assert page.status_code == 200
    assert "Rescored." in page.content.decode()
