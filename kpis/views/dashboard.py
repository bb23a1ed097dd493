"""The dashboard page, its drill-down, freshness and the rebuild button."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from csops import permissions
from csops.errors import InvalidInput
from csops.htmx import domain_errors
from csops.people import display_name
from kpis import dashboard, services
from kpis.definitions import METRICS
from kpis.selectors import Summary
from kpis.selectors.knowledge import knowledge_figures
from kpis.selectors.series import breakdown, timeseries
from kpis.views.common import drill_bucket, filter_form, querystring, refuse_filter
from staffing.models import Team

DRILL_PAGE_SIZE = 50  # a drill-down page; the CSV export has every row
CHARTS = ("created", "resolved", "backlog", "first_reply_median", "full_resolution_median")
TABLE_METRICS = (
    "created",
    "resolved",
    "first_reply_median",
    "full_resolution_median",
    "sla_attainment",
    "fcr",
    "one_touch",
    "reopen_rate",
)


def _names(by: str, keys) -> dict:
    ids = [k for k in keys if k is not None]
    if by == "team":
        return dict(Team.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {u.pk: display_name(u) for u in User.objects.filter(pk__in=ids)}


def table(user: User, f, by: str) -> dict:
    """Rows per team or agent: one ``breakdown`` per metric, joined on the key."""
    values: dict = {}
    for metric in TABLE_METRICS:
        for p in breakdown(user, f, metric, by):
            values.setdefault(p.key, {})[metric] = p
    names = _names(by, values) | {None: "Unassigned" if by == "agent" else "No team"}
    rows = [{"key": k, "name": names.get(k, f"#{k}"), "cells": v} for k, v in values.items()]
    # By name, with the row of no agent (or no team) last rather than among the people.
    rows.sort(key=lambda r: (r["key"] is None, str(r["name"]).lower()))
    return {"by": by, "metrics": TABLE_METRICS, "rows": rows}


def series(user: User, f, summary: Summary | None = None) -> dict:
    """The charts' points; ``summary`` (the tiles' result) lends today's live backlog."""
    live = None if summary is None else summary.backlog
    now = None if summary is None else summary.as_of
    return {
        m: [
            {"bucket": p.key.isoformat(), "value": p.value, "count": p.count}
            for p in timeseries(user, f, m, now=now, live_backlog=live)
        ]
        for m in CHARTS
    }


@vary_on_headers("HX-Request")
@require_http_methods(["GET"])
@domain_errors
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form = filter_form(request)
    context = {"form": form, "qs": request.GET.urlencode(), "definitions": METRICS}
    if not form.is_valid():
        template = "kpis/dashboard.html#body" if request.htmx else "kpis/dashboard.html"
        return render(request, template, context, status=422)
    f = form.to_filter()
    tiles, result = dashboard.tiles(request.user, f)
    context |= {
        "f": f,
        "tiles": tiles,
        "summary": result,
        "series": series(request.user, f, result),
        "markers": [
            {"day": m.day.isoformat(), "kind": m.kind, "label": m.label}
            for m in dashboard.markers(request.user, f)
        ],
        "breakdowns": (("team", "Per team"), ("agent", "Per agent")),
        "freshness": dashboard.freshness(),
        "rebuild": dashboard.rebuild_progress(),
        "can_rebuild": permissions.can_set_goals(request.user),
        "can_set_goals": permissions.can_set_goals(request.user),
    }
    template = "kpis/dashboard.html#body" if request.htmx else "kpis/dashboard.html"
    return render(request, template, context)


@require_http_methods(["GET"])
@domain_errors
def table_fragment(request: HttpRequest, by: str) -> HttpResponse:
    """One breakdown table (per team or per agent), loaded by the page after its first paint
    so the tiles and trends never wait for it (per agent, exact medians read every value of
    the range)."""
    if by not in ("team", "agent"):
        raise InvalidInput("Break down by team or agent.", fields={"by": ["team or agent"]})
    form = filter_form(request)
    if not form.is_valid():
        return render(request, "kpis/_table.html", {"form": form}, status=422)
    context = {"table": table(request.user, form.to_filter(), by), "definitions": METRICS}
    context["title"] = "Per team" if by == "team" else "Per agent"
    return render(request, "kpis/_table.html", context)


@require_http_methods(["GET"])
@domain_errors
def drilldown(request: HttpRequest) -> HttpResponse:
    """The exact tickets behind a tile, bar (``bucket``) or table cell (team/agent filter)."""
    form = filter_form(request)
    metric = request.GET.get("metric", "")
    if metric not in dashboard.DRILL_METRICS:
        raise InvalidInput(f"No drill-down for {metric!r}.", fields={"metric": ["Unknown."]})
    if not form.is_valid():
        context = {"metric": metric, "definition": METRICS.get(metric), "rows": [], "total": 0}
        return refuse_filter(request, form, "kpis/drilldown.html", context)
    f = form.to_filter()
    bucket = drill_bucket(request.GET.get("bucket", ""))
    rows = dashboard.drill_rows(request.user, f, metric, bucket)
    page = Paginator(rows, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "f": f,
        "metric": metric,
        "definition": METRICS.get(metric),
        "rows": dashboard.drill_table(page.object_list, business=f.business),
        "page": page,
        "total": page.paginator.count,
        "prev_qs": _page_qs(request, page.previous_page_number() if page.has_previous() else 1),
        "next_qs": _page_qs(request, page.next_page_number() if page.has_next() else None),
        "qs": request.GET.urlencode(),
        "export_qs": querystring(request.GET, metric=metric, page=None),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "kpis/drilldown.html#drill-results" if partial else "kpis/drilldown.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def _page_qs(request: HttpRequest, number: int | None) -> str:
    """The drill-down's query string on page ``number`` (page 1 carries no page)."""
    return querystring(request.GET, page=None if number in (None, 1) else number)


@require_http_methods(["GET"])
@domain_errors
def freshness(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_view_dashboard(request.user)
    return render(request, "kpis/_freshness.html", {"freshness": dashboard.freshness()})


@require_http_methods(["POST"])
@domain_errors
def rebuild(request: HttpRequest) -> HttpResponse:
    """Directors: queue a full rebuild; answers with the progress region (htmx) or the page."""
    permissions.ensure_can_view_dashboard(request.user)
    job = services.start_rebuild(request.user)
    if not request.htmx:
        return redirect("kpis:dashboard")
    return render(request, "kpis/_rebuild.html", {"rebuild": job, "can_rebuild": True})


@require_http_methods(["GET"])
@domain_errors
def rebuild_progress(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_view_dashboard(request.user)
    context = {
        "rebuild": dashboard.rebuild_progress(),
        "can_rebuild": permissions.can_set_goals(request.user),
    }
    return render(request, "kpis/_rebuild.html", context)


@require_http_methods(["GET"])
@domain_errors
def knowledge_fragment(request: HttpRequest) -> HttpResponse:
    """The knowledge tiles (views, helpful ratio, links, searches without result,
    deflections) for the dashboard's date range, loaded after the page's first paint."""
    form = filter_form(request)
    if not form.is_valid():
        return render(request, "kpis/_knowledge.html", {"form": form}, status=422)
    f = form.to_filter()
    context = {"k": knowledge_figures(f.start, f.end), "f": f}
    return render(request, "kpis/_knowledge.html", context)
