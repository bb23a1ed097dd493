"""Onboarding plans: the managers' overview (progress, what is late) and one plan."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csops import permissions
from csops.errors import InvalidInput
from csops.htmx import domain_errors
from csops.people import display_name
from staffing import selectors, step_evidence
from staffing.forms import PlanForm, SignOffForm, TemplateForm, TemplateStepFormSet, steps_of
from staffing.models import OnboardingTemplate
from staffing.services import onboarding
from staffing.views._common import apply_errors, go, today


@require_http_methods(["GET", "POST"])
@domain_errors
def plans(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, viewer=request.user)
    status = 200
    if request.method == "POST":
        permissions.ensure_can_edit_staff_catalog(request.user)
        status = 422
        if form.is_valid():
            try:
                plan = onboarding.create_plan(by=request.user, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Onboarding plan created for {display_name(plan.user)}.")
                return go(request, reverse("staffing:onboarding-plan", args=[plan.pk]))
    day = today()
    context = {
        "progress": [
            selectors.plan_progress(p, day) for p in selectors.onboarding_plans(request.user)
        ],
        "form": form,
        "can_create": permissions.can_edit_staff_catalog(request.user),
    }
    return render(request, "staffing/onboarding.html", context, status=status)


@require_http_methods(["GET", "POST"])
@domain_errors
def templates(request: HttpRequest) -> HttpResponse:
    """Onboarding templates per role; managers add them here (ordered steps)."""
    form = TemplateForm(request.POST or None)
    formset = TemplateStepFormSet(request.POST or None, prefix="steps")
    status = 200
    if request.method == "POST":
        permissions.ensure_can_edit_staff_catalog(request.user)
        status = 422
        if form.is_valid() and formset.is_valid():
            try:
                t = onboarding.create_template(
                    by=request.user, steps=steps_of(formset), **form.cleaned_data
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Template {t.name} added.")
                return go(request, reverse("staffing:onboarding-templates"))
    context = {
        "templates": OnboardingTemplate.objects.prefetch_related(
            "steps__course", "steps__certification", "steps__policy"
        ),
        "form": form,
        "formset": formset,
        "can_edit": permissions.can_edit_staff_catalog(request.user),
    }
    return render(request, "staffing/onboarding_templates.html", context, status=status)


@require_GET
@domain_errors
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    p = onboarding.access_plan(request.user, pk)
    progress = selectors.plan_progress(p, today())
    can_sign = (
        permissions.can_manage_person(request.user, p.user_id) and p.user_id != request.user.pk
    ) or p.mentor_id == request.user.pk
    manual = {
        s.step.pk
        for s in progress.steps
        if s.step.kind == "shadowing" or not step_evidence.has_provider(s.step.kind)
    }
    context = {"progress": progress, "can_sign": can_sign, "manual": manual, "form": SignOffForm()}
    return render(request, "staffing/onboarding_plan.html", context)


@require_POST
@domain_errors
def step_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    form = SignOffForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    step = onboarding.sign_off_step(pk, by=request.user, note=note)
    messages.success(request, f"Signed off: {step.title}.")
    return go(request, reverse("staffing:onboarding-plan", args=[step.plan_id]))
