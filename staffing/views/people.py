"""The staff overview, a person's development page, certifications and performance reviews."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csops import permissions, tokens
from csops.errors import InvalidInput
from csops.htmx import domain_errors
from staffing import selectors
from staffing.forms import (
    AssignCourseForm,
    CEEntryForm,
    CertificationRecordForm,
    PerformanceReviewForm,
)
from staffing.services import certifications, reviews
from staffing.views._common import apply_errors, go, today


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Your own development, and the people and teams you manage."""
    day = today()
    others = list(selectors.visible_people(request.user).exclude(pk=request.user.pk))
    flags = selectors.cert_flags_for(others, day)
    people = [(p, flags[p.pk]) for p in others]
    context = {
        "people": people,
        "teams": selectors.managed_teams(request.user),
        "my_flags": selectors.cert_flags(request.user, day),
        "my_training": selectors.training_overview(request.user.pk, day),
    }
    return render(request, "staffing/home.html", context)


def _person_page(request: HttpRequest, user_id: int, status: int = 200, **forms) -> HttpResponse:
    person = selectors.access_person(request.user, user_id)
    day = today()
    can_manage = permissions.can_manage_person(request.user, person.pk) and (
        person.pk != request.user.pk
    )
    context = {
        "person": person,
        "can_manage": can_manage,
        "training": selectors.training_overview(person.pk, day),
        "flags": selectors.cert_flags(person, day),
        "held": [
            (h, h.state(day), selectors.ce_cycle(h, day))
            for h in selectors.held_certifications(person.pk)
        ],
        "plans": [
            selectors.plan_progress(p, day)
            for p in person.onboarding_plans.select_related("template")
        ],
        "qa_reviews": selectors.qa_reviews(request.user).filter(rep=person)[:20],
        "qa": selectors.qa_summary(rep_id=person.pk),
        "performance_reviews": person.performance_reviews.select_related("reviewer"),
        "cert_form": forms.get("cert_form") or CertificationRecordForm(),
        "assign_form": forms.get("assign_form")
        or AssignCourseForm(viewer=request.user, initial={"users": [person.pk]}),
        "ce_form": forms.get("ce_form") or CEEntryForm(),
        "ce_target": forms.get("ce_target"),
        "today": day,
        "is_me": person.pk == request.user.pk,
    }
    if context["is_me"]:
        token = tokens.token_of(person)
        context["api_token"] = token
        context["api_token_expires"] = tokens.expires_at(token) if token else None
        context["api_token_expired"] = tokens.is_expired(token) if token else False
    return render(request, "staffing/person.html", context, status=status)


@require_GET
@domain_errors
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    return _person_page(request, user_id)


@require_POST
@domain_errors
def certification_record(request: HttpRequest, user_id: int) -> HttpResponse:
    subject = selectors.access_person(request.user, user_id)
    form = CertificationRecordForm(request.POST)
    if form.is_valid():
        try:
            held = certifications.record_certification(
                user=subject, by=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"Recorded {held.certification.name}, expires {held.expires_on or 'never'}.",
            )
            return go(request, reverse("staffing:person", args=[subject.pk]))
    return _person_page(request, user_id, status=422, cert_form=form)


@require_POST
@domain_errors
def ce_log(request: HttpRequest, pk: int) -> HttpResponse:
    held = certifications.access_staff_certification(request.user, pk)
    form = CEEntryForm(request.POST)
    if form.is_valid():
        try:
            certifications.log_ce_hours(pk, by=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Logged {form.cleaned_data['hours']} CE hours.")
            return go(request, reverse("staffing:person", args=[held.user_id]))
    return _person_page(request, held.user_id, status=422, ce_form=form, ce_target=held.pk)


@require_http_methods(["GET", "POST"])
@domain_errors
def performance_review_new(request: HttpRequest, user_id: int) -> HttpResponse:
    subject = selectors.access_person(request.user, user_id)
    permissions.ensure_can_manage_person(request.user, subject.pk)
    form = PerformanceReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                review = reviews.create_review(rep=subject, by=request.user, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                return go(request, reverse("staffing:performance-review", args=[review.pk]))
    context = {"person": subject, "form": form}
    return render(request, "staffing/performance_review_new.html", context, status=status)


@require_GET
@domain_errors
def performance_review(request: HttpRequest, pk: int) -> HttpResponse:
    review = reviews.access_review(request.user, pk)
    return render(request, "staffing/performance_review.html", {"review": review})


@require_POST
@domain_errors
def performance_review_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    review = reviews.acknowledge(pk, by=request.user)
    messages.success(request, "Review acknowledged.")
    return go(request, reverse("staffing:performance-review", args=[review.pk]))
