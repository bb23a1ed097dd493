"""Courses, assignments, completions and required training for new team members."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from csops.errors import InvalidInput, NotAllowed, NotFound
from csops.models import Notification
from staffing import selectors
from staffing.models import TrainingRecord
from staffing.services import teams, training
from tests.factories import TeamFactory, UserFactory
from tests.staffing import builders

pytestmark = pytest.mark.django_db
NOW = "2026-03-10 09:00Z"


@time_machine.travel(NOW, tick=False)
def test_manager_assigns_a_course_to_the_whole_team(manager, rep, rep2, team):
    # given a course and a team of two reps
    course = builders.course()
    # when the manager assigns it to the team
    created = training.assign_course(course, by=manager, due_date=date(2026, 4, 1), team=team)
    # then each member has one open record due on that date, and a notice
    rows = TrainingRecord.objects.order_by("user__username")
    assert [(r.user.username, r.due_date, r.source, r.team_id) for r in rows] == [
        ("ralph", date(2026, 4, 1), "team", team.pk),
        ("rita", date(2026, 4, 1), "team", team.pk),
    ]
    assert len(created) == 2
    assert Notification.objects.filter(key__startswith="training:").count() == 2
    # and assigning again skips people who have it open
    assert training.assign_course(course, by=manager, due_date=None, team=team) == []


def test_rep_cannot_assign_and_manager_cannot_assign_outside_their_teams(
    rep, manager, other_team, rep_other_team
):
    course = builders.course()
    with pytest.raises(NotAllowed):
        training.assign_course(course, by=rep, due_date=None, team=rep.teams.get())
    with pytest.raises(NotAllowed):
        training.assign_course(course, by=manager, due_date=None, users=[rep_other_team])
    assert TrainingRecord.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_past_due_date_is_refused(manager, rep):
    with pytest.raises(InvalidInput) as exc:
        training.assign_course(
            builders.course(), by=manager, due_date=date(2026, 3, 9), users=[rep]
        )
    assert exc.value.fields == {"due_date": ["In the past."]}


@time_machine.travel(NOW, tick=False)
def test_new_team_member_gets_the_courses_required_for_team_and_role(manager, team):
    # given a course required for the team, one for the Rep role, one for another team
    for_team = builders.course("Tier 1 tools", due_within_days=14)
    for_team.required_for_teams.add(team)
    builders.course("Rep basics", required_for_roles=["Rep"])
    builders.course("Billing rules").required_for_teams.add(TeamFactory(slug="billing"))
    newcomer = UserFactory(username="nina", role="Rep")
    # when the manager adds the newcomer to the team
    created = teams.add_member(team, newcomer, by=manager)
    # then the team's and the role's courses are assigned, with their due dates
    assert sorted((r.course.title, r.due_date, r.source) for r in created) == [
        ("Rep basics", date(2026, 4, 9), "required"),
        ("Tier 1 tools", date(2026, 3, 24), "required"),
    ]
    assert team.members.filter(pk=newcomer.pk).exists()
    # and the daily sweep assigns nothing more (idempotent)
    assert training.assign_required_for_everyone() == 0


def test_rep_cannot_add_team_members(rep, team):
    with pytest.raises(NotAllowed):
        teams.add_member(team, UserFactory(username="nina", role="Rep"), by=rep)


def test_recurring_course_comes_due_again_after_its_period(rep, manager):
    course = builders.course("Security yearly", recurrence_months=12, required_for_roles=["Rep"])
    with time_machine.travel("2025-03-01 09:00Z", tick=False):
        record = builders.record(rep, course)
        training.complete_training(record.pk, by=rep, completed_on=date(2025, 3, 1))
    with time_machine.travel("2026-02-28 09:00Z", tick=False):
        assert training.assign_required(rep, by=None) == []
    with time_machine.travel("2026-03-01 09:00Z", tick=False):
        [again] = training.assign_required(rep, by=None)
    assert (again.source, again.due_date) == ("recurrence", date(2026, 3, 31))


@time_machine.travel(NOW, tick=False)
def test_rep_completes_own_course_and_manager_verifies(rep, manager):
    record = builders.record(rep, builders.course(hours=Decimal("2.50")))
    done = training.complete_training(
        record.pk,
        by=rep,
        completed_on=date(2026, 3, 10),
        score=Decimal(92),
        evidence_url="https://lms.example.com/cert/1",
    )
    assert (done.completed_on, done.hours, done.score, done.verified_by) == (
        date(2026, 3, 10),
        Decimal("2.50"),
        Decimal(92),
        None,
    )
    with pytest.raises(NotAllowed):
        training.verify_training(record.pk, by=rep)
    assert training.verify_training(record.pk, by=manager).verified_by == manager


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("_case", "kwargs", "fields"),
    [
        (
            "before assignment",
            {"completed_on": date(2026, 3, 9)},
            {"completed_on": ["The completion cannot be before the assignment (2026-03-10)."]},
        ),
        (
            "in the future",
            {"completed_on": date(2026, 3, 11)},
            {"completed_on": ["The completion cannot be in the future."]},
        ),
        (
            "negative hours",
            {"completed_on": date(2026, 3, 10), "hours": Decimal(-1)},
            {"hours": ["Hours cannot be negative."]},
        ),
        (
            "score over 100",
            {"completed_on": date(2026, 3, 10), "score": Decimal(101)},
            {"score": ["A score is between 0 and 100."]},
        ),
    ],
)
def test_invalid_completion_is_refused_with_field_errors(rep, _case, kwargs, fields):
    record = builders.record(rep)
    with pytest.raises(InvalidInput) as exc:
        training.complete_training(record.pk, by=rep, **kwargs)
    assert exc.value.fields == fields
    record.refresh_from_db()
    assert record.completed_on is None


def test_colleague_cannot_complete_anothers_course(rep, rep2, rep_other_team):
    record = builders.record(rep)
    with pytest.raises(NotFound):
        training.complete_training(record.pk, by=rep2, completed_on=timezone.localdate())
    with pytest.raises(NotFound):
        training.complete_training(record.pk, by=rep_other_team, completed_on=timezone.localdate())


def test_training_overview_buckets_and_hours_this_year(rep):
    with time_machine.travel("2025-12-01 09:00Z", tick=False):
        old = builders.record(rep, builders.course("Last year", hours=Decimal(4)))
        training.complete_training(old.pk, by=rep, completed_on=date(2025, 12, 1))
    with time_machine.travel("2026-03-01 09:00Z", tick=False):
        builders.record(rep, builders.course("Late"), due_date=date(2026, 3, 5))
        builders.record(rep, builders.course("Soon"), due_date=date(2026, 3, 20))
        builders.record(rep, builders.course("Later"), due_date=date(2026, 6, 1))
        done = builders.record(rep, builders.course("Done"))
        training.complete_training(
            done.pk, by=rep, completed_on=date(2026, 3, 1), hours=Decimal("1.5")
        )
    overview = selectors.training_overview(rep.pk, date(2026, 3, 10))
    assert [r.course.title for r in overview.overdue] == ["Late"]
    assert [r.course.title for r in overview.due] == ["Soon"]
    assert [r.course.title for r in overview.assigned] == ["Later"]
    assert [r.course.title for r in overview.completed] == ["Done", "Last year"]
    assert overview.hours_this_year == Decimal("1.50")
