"""Courses: the catalog, assigning a course, completing and verifying it, evidence files."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csops import permissions
from csops.errors import InvalidInput, NotFound
from csops.htmx import domain_errors
from csops.redirects import safe_next
from staffing import selectors
from staffing.forms import AssignCourseForm, CertificationForm, CompleteTrainingForm, CourseForm
from staffing.models import Certification
from staffing.services import certifications, training
from staffing.views._common import apply_errors, go


def _courses_page(request, *, course_form=None, assign_form=None, status=200) -> HttpResponse:
    context = {
        "courses": selectors.courses(),
        "can_edit": permissions.can_edit_staff_catalog(request.user),
        "course_form": course_form or CourseForm(),
        "assign_form": assign_form or AssignCourseForm(viewer=request.user),
    }
    return render(request, "staffing/courses.html", context, status=status)


@require_http_methods(["GET", "POST"])
@domain_errors
def courses(request: HttpRequest) -> HttpResponse:
    """The course catalog; managers add courses here."""
    if request.method == "GET":
        return _courses_page(request)
    permissions.ensure_can_edit_staff_catalog(request.user)
    form = CourseForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            course = training.create_course(by=request.user, **data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Course {course.title} added.")
            return go(request, reverse("staffing:courses"))
    return _courses_page(request, course_form=form, status=422)


@require_http_methods(["GET", "POST"])
@domain_errors
def certifications_catalog(request: HttpRequest) -> HttpResponse:
    """The certification catalog; managers add certifications here."""
    form = CertificationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        permissions.ensure_can_edit_staff_catalog(request.user)
        status = 422
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v is not None}
            try:
                cert = certifications.create_certification(by=request.user, **data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Certification {cert.name} added.")
                return go(request, reverse("staffing:certifications"))
    context = {
        "certifications": Certification.objects.filter(active=True).prefetch_related(
            "required_for_teams"
        ),
        "form": form,
        "can_edit": permissions.can_edit_staff_catalog(request.user),
    }
    return render(request, "staffing/certifications.html", context, status=status)


@require_POST
@domain_errors
def course_assign(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_edit_staff_catalog(request.user)  # managers and up assign
    form = AssignCourseForm(request.POST, viewer=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            created = training.assign_course(
                d["course"],
                by=request.user,
                due_date=d["due_date"],
                team=d["team"],
                users=list(d["users"]),
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            who = d["team"].name if d["team"] else f"{len(d['users'])} people"
            messages.success(request, f"{d['course'].title} assigned to {who}: {len(created)} new.")
            return go(request, safe_next(request, "staffing:courses"))
    return _courses_page(request, assign_form=form, status=422)


@require_http_methods(["GET", "POST"])
@domain_errors
def training_complete(request: HttpRequest, pk: int) -> HttpResponse:
    record = training.access_record(request.user, pk)
    if record.user_id != request.user.pk:
        permissions.ensure_can_manage_person(request.user, record.user_id)
    form = CompleteTrainingForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                training.complete_training(pk, by=request.user, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{record.course.title} completed.")
                return go(request, reverse("staffing:person", args=[record.user_id]))
    context = {
        "record": record,
        "form": form,
        "can_verify": permissions.can_manage_person(request.user, record.user_id)
        and record.user_id != request.user.pk,
    }
    return render(request, "staffing/training_complete.html", context, status=status)


@require_POST
@domain_errors
def training_verify(request: HttpRequest, pk: int) -> HttpResponse:
    record = training.verify_training(pk, by=request.user)
    messages.success(request, f"{record.course.title} verified.")
    return go(request, reverse("staffing:person", args=[record.user_id]))


@require_GET
@domain_errors
def training_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    record = training.access_record(request.user, pk)
    if not record.evidence_file:
        raise NotFound("This record has no evidence file.")
    name = record.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(record.evidence_file.open("rb"), as_attachment=True, filename=name)
