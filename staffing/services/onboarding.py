"""Onboarding plans: created from a template for a new hire; steps tick from real records."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.db import transaction

from csops import permissions
from csops.errors import InvalidInput, NotFound
from csops.people import display_name
from staffing import step_evidence
from staffing.models import (
    OnboardingPlan,
    OnboardingPlanStep,
    OnboardingStep,
    OnboardingTemplate,
    StepKind,
)
from staffing.models.training import Source
from staffing.services import training
from staffing.services._common import now

_NEEDS = {
    StepKind.COURSE: ("course", "a course"),
    StepKind.CERTIFICATION: ("certification", "a certification"),
    StepKind.POLICY: ("policy", "a policy"),
}


def create_template(
    *, by: User, name: str, role: str, steps: list[dict], description: str = ""
) -> OnboardingTemplate:
    """A template of ordered steps (``steps``: kind, title, course/certification/policy,
    due_after_days), numbered in the order given."""
    permissions.ensure_can_edit_staff_catalog(by)
    errors: dict[str, list[str]] = {}
    if OnboardingTemplate.objects.filter(name__iexact=name).exists():
        errors["name"] = ["A template with this name exists."]
    if not steps:
        errors["steps"] = ["Add at least one step."]
    for i, step in enumerate(steps, start=1):
        field, what = _NEEDS.get(step["kind"], (None, ""))
        if field and not step.get(field):
            errors[f"step_{i}"] = [f"Step {i} ({step['title']}) needs {what}."]
    if errors:
        raise InvalidInput("The template is not valid.", fields=errors)
    with transaction.atomic():
        template = OnboardingTemplate.objects.create(name=name, role=role, description=description)
        OnboardingStep.objects.bulk_create(
            OnboardingStep(template=template, order=i, **step) for i, step in enumerate(steps, 1)
        )
    return template


def create_plan(
    *,
    user: User,
    template: OnboardingTemplate,
    start_date: date,
    by: User,
    mentor: User | None = None,
) -> OnboardingPlan:
    """A plan for a new hire: the template's steps copied with due dates from ``start_date``;
    its courses are assigned to the person with the step's due date."""
    permissions.ensure_can_manage_person(by, user.pk)
    if OnboardingPlan.objects.filter(user=user, template=template).exists():
        raise InvalidInput(
            f"{display_name(user)} already has a plan from this template.",
            fields={"template": ["Already used for this person."]},
        )
    steps = list(template.steps.all())
    if not steps:
        raise InvalidInput("This template has no steps.", fields={"template": ["No steps."]})
    with transaction.atomic():
        plan = OnboardingPlan.objects.create(
            user=user,
            template=template,
            start_date=start_date,
            mentor=mentor,
            created_by=by,
            created_at=now(),
        )
        OnboardingPlanStep.objects.bulk_create(
            OnboardingPlanStep(
                plan=plan,
                order=s.order,
                kind=s.kind,
                title=s.title,
                course=s.course,
                certification=s.certification,
                policy=s.policy,
                due_date=start_date + relativedelta(days=s.due_after_days),
            )
            for s in steps
        )
        for step in plan.steps.filter(kind=StepKind.COURSE, course__isnull=False):
            assert step.course is not None  # filtered above
            training._create_records(
                step.course, [user], due_date=step.due_date, by=by, source=Source.ONBOARDING
            )
    return plan


def access_plan(user: User, pk: int) -> OnboardingPlan:
    qs = OnboardingPlan.objects.select_related("user", "template", "mentor")
    plan = permissions.scope_staff_records(user, qs).filter(pk=pk).first()
    if plan is None:
        raise NotFound(f"Onboarding plan #{pk} does not exist or is not yours to see.")
    return plan


def sign_off_step(pk: int, *, by: User, note: str = "") -> OnboardingPlanStep:
    """A manager (or the mentor) ticks a shadowing session, or a step whose kind no app
    provides evidence for yet. Steps backed by records tick themselves."""
    with transaction.atomic():
        step = (
            OnboardingPlanStep.objects.select_for_update(of=("self",))
            .select_related("plan")
            .filter(pk=pk)
            .first()
        )
        if step is None:
            raise NotFound(f"Onboarding step #{pk} does not exist.")
        access_plan(by, step.plan_id)
        if step.plan.mentor_id != by.pk:
            permissions.ensure_can_manage_person(by, step.plan.user_id)
        if step.kind != StepKind.SHADOWING and step_evidence.has_provider(step.kind):
            raise InvalidInput("This step ticks itself from the person's records.")
        if step.signed_off_at is not None:
            raise InvalidInput("This step is already signed off.")
        step.signed_off_at = now()
        step.signed_off_by = by
        step.note = note
        step.save(update_fields=["signed_off_at", "signed_off_by", "note"])
    return step
