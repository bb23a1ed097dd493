"""Planning pages: the team's forecast and requirement with what-if controls (htmx swaps the
results in place), scenarios saved and compared, CSV exports."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from csops import csv_export, permissions
from csops.errors import InvalidInput, NotAllowed, NotFound
from csops.htmx import domain_errors
from csops.roles import Role
from staffing.models import Team
from staffing.planning import selectors, services
from staffing.planning.forms import ScenarioForm, WhatIfForm
from staffing.planning.requirement import compare_grid
from staffing.schedules import selectors as schedule_selectors
from staffing.views._common import go


def _team(request: HttpRequest, pk: int) -> Team:
    permissions.ensure_can_plan_team(request.user, pk)
    team = Team.objects.filter(pk=pk).first()
    if team is None:
        raise NotFound(f"Team #{pk} does not exist or is not one you plan.")
    return team


def _what_if(request: HttpRequest, team: Team, data=None):
    """(form, plan): the team's plan under the submitted what-if parameters (or its
    settings); an invalid form keeps the settings' plan and shows the errors."""
    figures = selectors.team_demand(team)
    base = selectors.team_plan(team, figures=figures)
    channels = list((figures or {}).get("channels", {}))
    labels = {ch: c["label"] for ch, c in (figures or {}).get("channels", {}).items()}
    initial = WhatIfForm.initial_from(base.params, channels)
    source = data if data is not None else request.GET
    submitted = {k: v for k, v in source.items() if k in initial}
    form = WhatIfForm(initial | submitted, channels=channels, labels=labels)
    if not form.is_valid():
        return form, base
    params = form.params(base.params)
    if params == base.params:
        return form, base
    return form, selectors.team_plan(team, params, figures=figures)


def _context(request: HttpRequest, team: Team, form: WhatIfForm, plan, **extra) -> dict:
    week_no = form.cleaned_data.get("week", 1) if form.is_valid() else 1
    week = plan.weeks[week_no - 1] if plan.weeks else None
    peak = max(week.required) if week else 0
    scheduled = (
        schedule_selectors.scheduled_agents(team, week.start, ZoneInfo(plan.demand["zone"]))
        if week
        else []
    )
    cells = compare_grid(week.required, scheduled) if week else []
    gaps = {"under": 0, "over": 0}
    for row in cells:
        for _, _, state in row:
            if state:
                gaps[state] += 1
    scheduled_hours = sum(scheduled) / 2
    return {
        "cells": cells,
        "scheduled_hours": scheduled_hours,
        "scheduled_fte": scheduled_hours / float(plan.params.hours_per_fte),
        "required_fte": week.fte(plan.params.hours_per_fte) if week else 0,
        "gaps": gaps,
        "team": team,
        "form": form,
        "plan": plan,
        "figures": plan.demand,
        "week_no": week_no,
        "week": week,
        "times": [f"{r // 2:02d}:{30 * (r % 2):02d}" for r in range(48)],
        "peak": peak or 1,
        "fte_rows": [(w, w.fte(plan.params.hours_per_fte)) for w in plan.weeks],
        "scenarios": selectors.scenarios(team),
        "scenario_form": extra.pop("scenario_form", None) or ScenarioForm(),
        "query": request.GET.urlencode(),
        **extra,
    }


@require_GET
@domain_errors
def planning_home(request: HttpRequest) -> HttpResponse:
    if not permissions.has_role(request.user, Role.MANAGER):
        raise NotAllowed("Planning is for managers and directors.")
    teams = permissions.planning_teams(request.user, Team.objects.order_by("tier", "name"))
    return render(request, "staffing/planning/home.html", {"teams": teams})


@require_GET
@domain_errors
def team_plan(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form, plan = _what_if(request, team)
    context = _context(request, team, form, plan)
    status = 200 if form.is_valid() else 422
    if request.htmx:
        return render(request, "staffing/planning/team.html#results", context, status=status)
    return render(request, "staffing/planning/team.html", context, status=status)


@require_POST
@domain_errors
def scenario_save(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form, plan = _what_if(request, team, data=request.POST)
    scenario_form = ScenarioForm(request.POST)
    if form.is_valid() and scenario_form.is_valid():
        try:
            scenario = services.save_scenario(
                team, by=request.user, name=scenario_form.cleaned_data["name"], params=plan.params
            )
        except InvalidInput as exc:
            scenario_form.add_error("name", exc.fields.get("name", [exc.detail])[0])
        else:
            messages.success(request, f"Scenario “{scenario.name}” saved.")
            return go(
                request, reverse("staffing:planning-team", args=[team.pk]) + "?" + _query(form)
            )
    context = _context(request, team, form, plan, scenario_form=scenario_form)
    template = (
        "staffing/planning/team.html#results" if request.htmx else "staffing/planning/team.html"
    )
    return render(request, template, context, status=422)


def _query(form: WhatIfForm) -> str:
    from urllib.parse import urlencode

    return urlencode({k: form.data[k] for k in form.fields if k in form.data})


@require_GET
@domain_errors
def scenario_compare(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    chosen = list(selectors.scenarios(team).filter(pk__in=request.GET.getlist("s")[:4]))
    weeks = []
    if chosen:
        for i, row in enumerate(chosen[0].totals):
            weeks.append(
                (row["week"], [s.totals[i] if i < len(s.totals) else None for s in chosen])
            )
    return render(
        request,
        "staffing/planning/compare.html",
        {"team": team, "chosen": chosen, "weeks": weeks, "all": selectors.scenarios(team)},
    )


@require_GET
@domain_errors
def forecast_csv(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    figures = selectors.team_demand(team) or {"channels": {}, "horizon": 0}
    from datetime import timedelta

    def rows():
        yield ["week_start", "day", "time", "channel", "forecast_contacts"]
        for ch, c in figures["channels"].items():
            for h, week in enumerate(c["forecast"]):
                start = figures["forecast_start"] + timedelta(weeks=h)
                for s, v in enumerate(week):
                    day = start + timedelta(days=s // 48)
                    yield [start, day, f"{s % 48 // 2:02d}:{30 * (s % 2):02d}", ch, round(v, 3)]

    return csv_export.csv_stream(rows(), f"forecast-{team.slug}.csv")


@require_GET
@domain_errors
def requirement_csv(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form, plan = _what_if(request, team)
    from datetime import timedelta

    def rows():
        yield ["week_start", "day", "time", "on_queue_agents", "paid_agents_required"]
        for w in plan.weeks:
            for s in range(len(w.required)):
                day = w.start + timedelta(days=s // 48)
                yield [
                    w.start,
                    day,
                    f"{s % 48 // 2:02d}:{30 * (s % 2):02d}",
                    w.on_queue[s],
                    w.required[s],
                ]

    return csv_export.csv_stream(rows(), f"requirement-{team.slug}.csv")
