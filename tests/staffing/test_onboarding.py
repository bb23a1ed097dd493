"""Onboarding plans: steps copied from the template, progress derived from real records."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from csops.errors import InvalidInput, NotAllowed, NotFound
from staffing import selectors, step_evidence
from staffing.models import TrainingRecord
from staffing.services import certifications, onboarding, training
from tests.factories import UserFactory
from tests.staffing import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def hire(team):
    user = UserFactory(username="nina", role="Rep")
    team.members.add(user)
    return user


@pytest.fixture
def tmpl():
    course = builders.course("Ticketing 101")
    cert = builders.certification("Support Foundations", validity_months=12)
    return builders.template(
        steps=[
            {
                "kind": "course",
                "title": "Take Ticketing 101",
                "course": course,
                "due_after_days": 5,
            },
            {"kind": "shadowing", "title": "Shadow a senior rep", "due_after_days": 3},
            {
                "kind": "certification",
                "title": "Get certified",
                "certification": cert,
                "due_after_days": 30,
            },
            {"kind": "first_ticket", "title": "Solve a first ticket", "due_after_days": 10},
        ]
    )


def _done(progress) -> list[tuple[str, date | None, bool]]:
    return [(s.step.title, s.done_on, s.late) for s in progress.steps]


@time_machine.travel("2026-03-02 09:00Z", tick=False)
def test_plan_copies_steps_with_due_dates_and_assigns_its_courses(manager, hire, tmpl):
    plan = onboarding.create_plan(user=hire, template=tmpl, start_date=date(2026, 3, 2), by=manager)
    assert [(s.order, s.kind, s.due_date) for s in plan.steps.all()] == [
        (1, "course", date(2026, 3, 7)),
        (2, "shadowing", date(2026, 3, 5)),
        (3, "certification", date(2026, 4, 1)),
        (4, "first_ticket", date(2026, 3, 12)),
    ]
    record = TrainingRecord.objects.get(user=hire)
    assert (record.course.title, record.due_date, record.source) == (
        "Ticketing 101",
        date(2026, 3, 7),
        "onboarding",
    )
    with pytest.raises(InvalidInput):
        onboarding.create_plan(user=hire, template=tmpl, start_date=date(2026, 3, 2), by=manager)


def test_progress_comes_from_real_records_and_shows_what_is_late(manager, hire, tmpl):
    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        plan = onboarding.create_plan(
            user=hire, template=tmpl, start_date=date(2026, 3, 2), by=manager
        )
        # nothing done yet
        assert selectors.plan_progress(plan, date(2026, 3, 2)).percent == 0
    with time_machine.travel("2026-03-06 09:00Z", tick=False):
        # the hire completes the course: its step ticks by itself
        record = TrainingRecord.objects.get(user=hire)
        training.complete_training(record.pk, by=hire, completed_on=date(2026, 3, 6))
        # the manager records the certification: its step ticks by itself
        certifications.record_certification(
            user=hire,
            certification=tmpl.steps.get(order=3).certification,
            issued_on=date(2026, 3, 6),
            by=manager,
        )
        progress = selectors.plan_progress(plan, date(2026, 3, 6))
    assert _done(progress) == [
        ("Take Ticketing 101", date(2026, 3, 6), False),
        ("Shadow a senior rep", None, True),  # due 03-05, not signed off: late
        ("Get certified", date(2026, 3, 6), False),
        ("Solve a first ticket", None, False),
    ]
    assert (progress.done, progress.percent, [s.step.title for s in progress.late]) == (
        2,
        50,
        ["Shadow a senior rep"],
    )


@time_machine.travel("2026-03-06 09:00Z", tick=False)
def test_manager_signs_off_shadowing_but_not_record_backed_steps(manager, hire, tmpl, rep):
    plan = onboarding.create_plan(user=hire, template=tmpl, start_date=date(2026, 3, 2), by=manager)
    shadow, course_step = plan.steps.get(order=2), plan.steps.get(order=1)
    with pytest.raises(NotFound):  # a colleague does not see the plan
        onboarding.sign_off_step(shadow.pk, by=rep)
    with pytest.raises(NotAllowed):  # nor may the hire tick their own steps
        onboarding.sign_off_step(shadow.pk, by=hire)
    onboarding.sign_off_step(shadow.pk, by=manager, note="Half a day with Sam")
    with pytest.raises(InvalidInput) as exc:
        onboarding.sign_off_step(course_step.pk, by=manager)
    assert exc.value.detail == "This step ticks itself from the person's records."
    progress = selectors.plan_progress(plan, date(2026, 3, 6))
    assert _done(progress)[1] == ("Shadow a senior rep", date(2026, 3, 6), False)


@time_machine.travel("2026-03-06 09:00Z", tick=False)
def test_a_registered_provider_ticks_its_kind(manager, hire, tmpl):
    # given a provider for first tickets, as tickets would register at ready()
    def first_ticket(plan, steps):
        return {s.pk: date(2026, 3, 4) for s in steps}

    real = step_evidence._providers.get("first_ticket")  # tickets registers one at ready()
    step_evidence.register("first_ticket", first_ticket)
    try:
        plan = onboarding.create_plan(
            user=hire, template=tmpl, start_date=date(2026, 3, 2), by=manager
        )
        progress = selectors.plan_progress(plan, date(2026, 3, 6))
        assert _done(progress)[3] == ("Solve a first ticket", date(2026, 3, 4), False)
        # and with a provider, a manual sign-off is no longer offered
        with pytest.raises(InvalidInput):
            onboarding.sign_off_step(plan.steps.get(order=4).pk, by=manager)
    finally:
        if real is None:
            step_evidence._providers.pop("first_ticket")
        else:
            step_evidence.register("first_ticket", real)


def test_manager_creates_a_template_and_each_step_needs_its_record(manager, rep):
    course = builders.course()
    with pytest.raises(InvalidInput) as exc:
        onboarding.create_template(
            by=manager,
            name="Chat reps",
            role="Rep",
            steps=[
                {"kind": "course", "title": "Basics", "due_after_days": 3},
            ],
        )
    assert exc.value.fields == {"step_1": ["Step 1 (Basics) needs a course."]}
    t = onboarding.create_template(
        by=manager,
        name="Chat reps",
        role="Rep",
        steps=[
            {"kind": "course", "title": "Basics", "course": course, "due_after_days": 3},
            {"kind": "shadowing", "title": "Shadow", "due_after_days": 5},
        ],
    )
    assert list(t.steps.values_list("order", "kind", "title")) == [
        (1, "course", "Basics"),
        (2, "shadowing", "Shadow"),
    ]
    with pytest.raises(NotAllowed):
        onboarding.create_template(by=rep, name="Mine", role="Rep", steps=[])
