"""Hiring (staffing/hiring): requisitions and approval, the pipeline to a hired person with
their onboarding plan, independent scorecards, time and source of hire, and scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from csops.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound
from csops.permissions import role_of, team_scope
from staffing.hiring import selectors, services
from staffing.hiring.models import (
    Candidate,
    Competency,
    HiringDecision,
    Requisition,
    RequisitionStatus,
    Stage,
    StageMove,
)
from staffing.models import OnboardingPlan, Scenario, StaffProfile, TrainingRecord
from tests.factories import UserFactory
from tests.staffing import hiring_builders as hb

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def req(team, manager, director):
    return hb.open_requisition(team, manager, director)


def test_requisition_waits_for_a_director_and_records_the_plan_gap(team, manager, director, rep):
    # given: a saved scenario of the team asking for 4.5 FTE at its peak; the team has 1 member
    scenario = Scenario.objects.create(
        team=team,
        name="Spring",
        params={},
        totals=[{"week": "2026-12-07", "agent_hours": 120, "fte": 3.0}, {"week": "x", "fte": 4.5}],
        created_by=manager,
        created_at=timezone.now(),
    )
    # when
    req = services.open_requisition(
        by=manager,
        team=team,
        role="Rep",
        title="Chat rep",
        count=2,
        reason="Spring peak",
        scenario=scenario,
    )
    # then: pending, the gap is 4.5 - 1
    assert req.status == RequisitionStatus.PENDING
    assert str(req.gap_fte) == "3.50"
    with pytest.raises(InvalidTransition, match="open requisitions only"):
        services.add_candidate(req, by=manager, name="Early Bird", source="careers")
    with pytest.raises(NotAllowed, match="Only a director"):
        services.decide_requisition(req.pk, by=manager, approve=True)
    with pytest.raises(InvalidInput, match="declined"):
        services.decide_requisition(req.pk, by=director, approve=False)
    done = services.decide_requisition(req.pk, by=director, approve=True, note="Go")
    assert (done.status, done.decided_by, done.decision_note) == ("open", director, "Go")
    assert [h.status for h in Requisition.history.filter(id=req.pk).order_by("history_date")] == [
        "pending",
        "open",
    ]


def test_a_scenario_of_another_team_is_refused(team, other_team, manager, director):
    scenario = Scenario.objects.create(
        team=other_team,
        name="B",
        params={},
        totals=[],
        created_by=director,
        created_at=timezone.now(),
    )
    with pytest.raises(InvalidInput) as exc:
        services.open_requisition(
            by=manager, team=team, role="Rep", title="x", count=1, reason="y", scenario=scenario
        )
    assert exc.value.fields == {"scenario": ["This scenario plans another team."]}


def test_whole_pipeline_to_a_hired_rep_with_onboarding_plan(team, manager, director, req):
    # given: the Rep onboarding template, and a candidate with a CV
    template = hb.onboarding_template()
    cv = SimpleUploadedFile("nora.pdf", PDF * 3, content_type="application/pdf")
    c = hb.candidate(req, manager, cv=cv)
    assert c.cv.name.endswith(".pdf")
    # when: screen -> interview -> offer -> hired
    c = hb.to_offer(c, manager)
    with time_machine.travel(c.applied_at + timedelta(days=12, hours=1)):
        c = services.move_candidate(
            c.pk, by=manager, to=Stage.HIRED, reason="Best chat sample", start_date=date(2027, 1, 4)
        )
    # then: every move recorded (who, from, to)
    moves = list(StageMove.objects.filter(candidate=c).values_list("from_stage", "to_stage", "by"))
    assert moves == [
        ("", "applied", manager.pk),
        ("applied", "screen", manager.pk),
        ("screen", "interview", manager.pk),
        ("interview", "offer", manager.pk),
        ("offer", "hired", manager.pk),
    ]
    # the user, with role and team, and the staff profile with the hire date
    user = User.objects.get(pk=c.hired_user_id)
    assert (user.username, user.first_name, user.last_name) == ("nora.quinn", "Nora", "Quinn")
    assert str(role_of(user)) == "Rep"
    assert team_scope(user) == frozenset({team.pk})
    assert not user.has_usable_password()
    profile = StaffProfile.objects.get(user=user)
    assert (profile.hire_date, profile.title, profile.manager) == (
        date(2027, 1, 4),
        "Support rep",
        manager,
    )
    # the onboarding plan from the template, and its course assigned
    plan = OnboardingPlan.objects.get(user=user)
    assert (plan.template, plan.start_date) == (template, date(2027, 1, 4))
    assert list(plan.steps.values_list("title", flat=True)) == [
        "Take Ticketing 101",
        "Shadow a senior rep",
    ]
    assert list(
        TrainingRecord.objects.filter(user=user).values_list("course__title", "source")
    ) == [("Ticketing 101", "onboarding")]
    # the decision, audited; the requisition filled; time to hire
    decision = HiringDecision.objects.get(candidate=c)
    assert (decision.outcome, decision.reason, decision.decided_by) == (
        "hire",
        "Best chat sample",
        manager,
    )
    assert decision.history.count() == 1
    assert Requisition.objects.get(pk=req.pk).status == RequisitionStatus.FILLED
    stats = selectors.stats(Requisition.objects.all())
    assert (stats.hires, stats.median_days_to_hire) == (1, 12.0)
    assert stats.by_source == [("Employee referral", 1, 1)]


def test_hire_is_one_transaction(team, manager, director, req):
    # given: no onboarding template for the role
    c = hb.to_offer(hb.candidate(req, manager), manager)
    users = User.objects.count()
    # when / then: refused, and nothing of the hire was written
    with pytest.raises(InvalidInput, match="no active onboarding template for the Rep role"):
        services.move_candidate(c.pk, by=manager, to=Stage.HIRED, reason="Good")
    assert User.objects.count() == users
    assert Candidate.objects.get(pk=c.pk).stage == Stage.OFFER
    assert not HiringDecision.objects.exists()
    assert not StaffProfile.objects.filter(user__username="nora.quinn").exists()


def test_only_an_offer_is_hired_and_a_reason_is_required(manager, req):
    hb.onboarding_template()
    c = hb.candidate(req, manager)
    with pytest.raises(InvalidTransition, match="Only a candidate with an offer"):
        services.move_candidate(c.pk, by=manager, to=Stage.HIRED, reason="Keen")
    c = hb.to_offer(c, manager)
    with pytest.raises(InvalidInput) as exc:
        services.move_candidate(c.pk, by=manager, to=Stage.HIRED, reason=" ")
    assert exc.value.fields == {"reason": ["Give a reason."]}


def test_reject_records_the_decision_and_closes_the_candidate(manager, req):
    c = hb.candidate(req, manager)
    with pytest.raises(InvalidInput):
        services.move_candidate(c.pk, by=manager, to=Stage.REJECTED)
    c = services.move_candidate(c.pk, by=manager, to=Stage.REJECTED, reason="No weekend shifts")
    assert c.closed_at is not None
    assert HiringDecision.objects.get(candidate=c).outcome == "reject"
    with pytest.raises(InvalidTransition, match="already rejected"):
        services.move_candidate(c.pk, by=manager, to=Stage.SCREEN)


def test_a_stale_board_move_is_a_conflict(manager, director, req):
    c = hb.candidate(req, manager)
    services.move_candidate(c.pk, by=director, to=Stage.SCREEN, expected_version=0)
    with pytest.raises(Conflict, match="moved by someone else"):
        services.move_candidate(c.pk, by=manager, to=Stage.WITHDRAWN, expected_version=0)
    assert Candidate.objects.get(pk=c.pk).stage == Stage.SCREEN


def test_a_cv_that_is_not_a_document_is_refused(manager, req):
    html = SimpleUploadedFile("cv.pdf", b"<html><script>x</script></html>", "application/pdf")
    with pytest.raises(InvalidInput) as exc:
        hb.candidate(req, manager, cv=html)
    assert list(exc.value.fields) == ["cv"]
    assert not Candidate.objects.exists()


def _ratings(stage: str, score: int) -> dict[int, int]:
    return {c.pk: score for c in Competency.objects.filter(stage=stage, active=True)}


def test_scorecards_are_independent_until_submitted(team, manager, director, req):
    # given: a second manager of the team, and a candidate at interview
    manager2 = UserFactory(username="mo", role="Manager")
    team.managers.add(manager2)
    c = hb.candidate(req, manager)
    for stage in (Stage.SCREEN, Stage.INTERVIEW):
        c = services.move_candidate(c.pk, by=manager, to=stage)
    services.submit_scorecard(c.pk, by=manager, stage="interview", ratings=_ratings("interview", 4))
    services.submit_scorecard(
        c.pk, by=director, stage="interview", ratings=_ratings("interview", 2)
    )
    # when: mo has not submitted
    [screen, interview] = selectors.scorecards_for(c, manager2)
    # then: nothing of the others is shown, only that two are waiting
    assert (interview.mine, interview.others, interview.hidden) == (None, [], 2)
    assert (screen.others, screen.hidden) == ([], 0)  # no screen cards
    # when: mo submits
    services.submit_scorecard(
        c.pk, by=manager2, stage="interview", ratings=_ratings("interview", 5)
    )
    interview = selectors.scorecards_for(c, manager2)[1]
    assert interview.mine.average == 5.0
    assert sorted((s.interviewer.username, s.average) for s in interview.others) == [
        ("diane", 2.0),
        ("maria", 4.0),
    ]
    assert interview.hidden == 0
    # and twice is refused
    with pytest.raises(Conflict, match="already submitted"):
        services.submit_scorecard(
            c.pk, by=manager2, stage="interview", ratings=_ratings("interview", 3)
        )


def test_scorecards_show_to_all_once_the_candidate_left_the_stage(manager, director, req):
    c = services.move_candidate(hb.candidate(req, manager).pk, by=manager, to=Stage.SCREEN)
    services.submit_scorecard(c.pk, by=manager, stage="screen", ratings=_ratings("screen", 3))
    assert selectors.scorecards_for(c, director)[0].hidden == 1
    c = services.move_candidate(c.pk, by=manager, to=Stage.INTERVIEW)
    screen = selectors.scorecards_for(c, director)[0]
    assert ([s.interviewer for s in screen.others], screen.hidden) == ([manager], 0)


def test_a_scorecard_rates_every_competency_from_1_to_5(manager, req):
    c = services.move_candidate(hb.candidate(req, manager).pk, by=manager, to=Stage.SCREEN)
    ratings = _ratings("screen", 3)
    first = next(iter(ratings))
    with pytest.raises(InvalidInput) as exc:
        services.submit_scorecard(c.pk, by=manager, stage="screen", ratings={first: 3})
    assert exc.value.fields == {"ratings": ["Rate Motivation for the role."]}
    with pytest.raises(InvalidInput, match="not complete"):
        services.submit_scorecard(c.pk, by=manager, stage="screen", ratings={**ratings, first: 6})
    with pytest.raises(InvalidTransition, match="has not reached the offer stage"):
        services.submit_scorecard(c.pk, by=manager, stage="offer", ratings=_ratings("offer", 3))


def test_other_teams_managers_and_reps_reach_nothing(team, other_team, manager, rep, req):
    # given: a manager of another team
    outsider = UserFactory(username="olga", role="Manager")
    other_team.managers.add(outsider)
    c = hb.candidate(req, manager)
    for who in (outsider, rep):
        with pytest.raises(NotFound):
            services.move_candidate(c.pk, by=who, to=Stage.SCREEN)
        with pytest.raises(NotFound):
            services.add_candidate(req, by=who, name="X", source="careers")
        with pytest.raises(NotFound):
            services.open_requisition(by=who, team=team, role="Rep", title="x", count=1, reason="y")
        assert not selectors.requisitions_for(who).exists()
    with pytest.raises(NotFound):
        services.submit_scorecard(c.pk, by=outsider, stage="screen", ratings={})
    assert Candidate.objects.get(pk=c.pk).stage == Stage.APPLIED


def test_close_a_requisition_once_its_pipeline_is_empty(manager, rep, req):
    c = hb.candidate(req, manager)
    with pytest.raises(NotFound):
        services.close_requisition(req.pk, by=rep, note="x")
    with pytest.raises(InvalidTransition, match="1 candidate is still in the pipeline"):
        services.close_requisition(req.pk, by=manager, note="Budget cut")
    services.move_candidate(c.pk, by=manager, to=Stage.WITHDRAWN)
    with pytest.raises(InvalidInput):
        services.close_requisition(req.pk, by=manager, note=" ")
    closed = services.close_requisition(req.pk, by=manager, note="Budget cut")
    assert (closed.status, closed.decision_note, closed.decided_by) == (
        "closed",
        "Budget cut",
        manager,
    )
    with pytest.raises(InvalidTransition, match="open requisitions only"):
        hb.candidate(req, manager, name="Late Comer")
