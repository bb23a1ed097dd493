"""Business calendar pages: list and detail for staff; create, edit (a new version) and the
organisation settings for directors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csops import permissions
from csops.errors import NotFound
from csops.htmx import domain_errors
from policies import selectors
from policies.calendar_text import holidays_as_lines, week_as_text
from policies.forms import CalendarForm, OrganizationSettingsForm
from policies.models import BusinessCalendar
from policies.services import calendars as services
from policies.views.sla_common import form_page, posted

FORM = "policies/calendar_form.html"
DETAIL = "policies:calendar-detail"


def _calendar(pk: int) -> BusinessCalendar:
    calendar = selectors.calendars().filter(pk=pk).first()
    if calendar is None:
        raise NotFound(f"Calendar #{pk} does not exist.")
    return calendar


def _settings_form(data=None) -> OrganizationSettingsForm:
    current = selectors.organization_settings()
    initial = {
        "default_calendar": current.default_calendar_id,
        "reporting_time_zone": current.reporting_time_zone,
    }
    return OrganizationSettingsForm(data, initial=initial)


def _list(request: HttpRequest, settings_form: OrganizationSettingsForm, status: int = 200):
    context = {
        "calendars": selectors.calendars(),
        "settings": selectors.organization_settings(),
        "settings_form": settings_form,
        "can_manage": permissions.can_manage_sla(request.user),
    }
    return render(request, "policies/calendar_list.html", context, status=status)


@require_GET
def calendar_list(request: HttpRequest) -> HttpResponse:
    return _list(request, _settings_form())


@require_GET
@domain_errors
def calendar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    calendar = _calendar(pk)
    versions = [
        {"version": v, "week": week_as_text(v.weekly), "holidays": holidays_as_lines(v.holidays)}
        for v in calendar.versions.all()
    ]
    context = {
        "calendar": calendar,
        "versions": versions,
        "can_manage": permissions.can_manage_sla(request.user),
    }
    return render(request, "policies/calendar_detail.html", context)


@require_http_methods(["GET", "POST"])
@domain_errors
def calendar_new(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_manage_sla(request.user)
    form = CalendarForm(posted(request))

    def save() -> int:
        version = services.create_calendar(
            by=request.user, name=form.cleaned_data["name"], **form.service_kwargs()
        )
        return version.calendar_id

    return form_page(request, FORM, form, save, DETAIL)


@require_http_methods(["GET", "POST"])
@domain_errors
def calendar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_manage_sla(request.user)
    calendar = _calendar(pk)
    form = CalendarForm.for_version(calendar.versions.all()[0], posted(request))

    def save() -> int:
        services.revise_calendar(calendar.pk, by=request.user, **form.service_kwargs())
        return calendar.pk

    return form_page(request, FORM, form, save, DETAIL, {"calendar": calendar})


@require_POST
@domain_errors
def calendar_settings(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_manage_sla(request.user)
    form = _settings_form(request.POST)
    if not form.is_valid():
        return _list(request, form, status=422)
    services.update_organization_settings(by=request.user, **form.cleaned_data)
    return redirect("policies:calendar-list")
