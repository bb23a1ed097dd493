"""CSV downloads: every dashboard table, and one row per ticket with its metrics."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_http_methods

from csops.errors import InvalidInput
from csops.htmx import domain_errors
from kpis import dashboard, exports, selectors
from kpis.views.common import drill_bucket, filter_form, filter_problem
from kpis.views.dashboard import series, table

TABLES = ("tiles", "teams", "agents", "series", "sla", "backlog")


def _filter(request: HttpRequest):
    form = filter_form(request)
    if not form.is_valid():
        raise filter_problem(form)
    return form.to_filter()


def _csv(lines, filename: str, *, stream: bool = False) -> HttpResponse:
    cls = StreamingHttpResponse if stream else HttpResponse
    body = lines if stream else "".join(lines)
    response = cls(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET"])
@domain_errors
def export_table(request: HttpRequest, name: str) -> HttpResponse:
    if name not in TABLES:
        raise InvalidInput(f"No table {name!r}.", fields={"name": [f"One of {TABLES}."]})
    f = _filter(request)
    user = request.user
    if name == "tiles":
        rows = exports.tiles_rows(dashboard.tiles(user, f)[0])
    elif name in ("sla", "backlog"):
        result = selectors.summary(user, f)
        rows = exports.sla_rows(result) if name == "sla" else exports.backlog_rows(result)
    elif name == "series":
        rows = exports.series_rows(series(user, f))
    else:
        rows = exports.table_rows(table(user, f, name[:-1]))
    return _csv(exports.csv_lines(rows), f"kpis-{name}-{f.start}-{f.end}.csv")


@require_http_methods(["GET"])
@domain_errors
def export_tickets(request: HttpRequest) -> StreamingHttpResponse:
    """Row-level export of the tickets behind ``metric`` (default: created in the range)."""
    f = _filter(request)
    metric = request.GET.get("metric") or "created"
    if metric not in dashboard.DRILL_METRICS:
        raise InvalidInput(f"No drill-down for {metric!r}.", fields={"metric": ["Unknown."]})
    qs = dashboard.drill_rows(request.user, f, metric, drill_bucket(request.GET.get("bucket", "")))
    lines = exports.csv_lines(exports.ticket_rows(qs, business=f.business))
    return _csv(lines, f"tickets-{metric}-{f.start}-{f.end}.csv", stream=True)
