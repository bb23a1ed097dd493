from __future__ import annotations

from django.http import HttpRequest, QueryDict

from csops import permissions
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


def querystring(params: QueryDict, **overrides: object) -> str:
    q = params.copy()
    for key, value in overrides.items():
        if value is None:
            q.pop(key, None)
        else:
            q[key] = str(value)
    return q.urlencode()
