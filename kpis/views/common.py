from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

from csops import permissions
from csops.errors import InvalidInput
from kpis.dashboard import today
from kpis.forms import DashboardFilterForm

DEFAULT_FILTER = {"preset": "30d", "grain": "day", "hours": "calendar"}


def filter_form(request: HttpRequest) -> DashboardFilterForm:
    """The dashboard filter from the URL (defaults: last 30 days, by day, calendar hours).
    Refuses users without a dashboard (NotAllowed → 403)."""
    permissions.ensure_can_view_dashboard(request.user)
    params = {**DEFAULT_FILTER, **{k: v for k, v in request.GET.items() if v != ""}}
    if "start" in request.GET and request.GET.get("start") and "preset" not in request.GET:
        params["preset"] = "custom"
    return DashboardFilterForm(params, user=request.user, today=today())


def filter_problem(form: DashboardFilterForm) -> InvalidInput:
    """A refused filter (unknown team, not a date, a range ending before it starts) as one
    clear 422, naming each field."""
    fields = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    named = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
    return InvalidInput(f"Invalid filter ({named})", fields=fields)


def refuse_filter(
    request: HttpRequest, form: DashboardFilterForm, template: str, context: dict
) -> HttpResponse:
    """422 for a refused filter: the error body as JSON when the caller asks for JSON, the
    flash region for htmx, otherwise ``template`` with ``context`` and the error."""
    problem = filter_problem(form)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(problem.as_body(), status=problem.status)
    if request.htmx:
        raise problem
    return render(request, template, {**context, "form": form, "error": problem}, status=422)


def querystring(params: QueryDict, **overrides: object) -> str:
    q = params.copy()
    for key, value in overrides.items():
        if value is None:
            q.pop(key, None)
        else:
            q[key] = str(value)
    return q.urlencode()


def drill_bucket(value: str) -> date | str | None:
    """A drill-down's ``bucket``: a chart bucket's start date, or a label (a backlog age
    bucket "1-3d", an SLA metric)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value
