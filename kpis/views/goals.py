"""Goals: the list with each goal's status and projection, and the director's form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csops import permissions
from csops.errors import DomainError
from csops.htmx import domain_errors
from kpis import dashboard, goals
from kpis.definitions import METRICS
from kpis.forms import GoalForm, quarter_end, quarter_start


def _page(request: HttpRequest, form: GoalForm, status: int = 200) -> HttpResponse:
    day = dashboard.today()
    rows = [
        {
            "goal": g,
            "definition": METRICS.get(g.metric),
            "status": goals.evaluate(request.user, g, dashboard.goal_value, today=day),
        }
        for g in goals.goals_for(request.user)[:200]
    ]
    context = {
        "form": form,
        "rows": rows,
        "can_set_goals": permissions.can_set_goals(request.user),
    }
    return render(request, "kpis/goals.html", context, status=status)


@require_http_methods(["GET", "POST"])
@domain_errors
def goals_page(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_view_dashboard(request.user)
    day = dashboard.today()
    initial = {"period_start": quarter_start(day), "period_end": quarter_end(day)}
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "GET":
        return _page(request, form)
    permissions.ensure_can_set_goals(request.user)
    if form.is_valid():
        try:
            goals.create_goal(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 403:
                raise
            for field, errors in exc.fields.items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.fields:
                form.add_error(None, exc.detail)
        else:
            return redirect("kpis:goals")
    return _page(request, form, status=422)


@require_http_methods(["POST"])
@domain_errors
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goals.delete_goal(pk, by=request.user)
    return redirect("kpis:goals")
