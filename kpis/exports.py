"""CSV exports of the dashboard's tables and the row-level ticket export (streamed)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from csops import csv_export
from kpis.definitions import METRICS

# Durations exported per ticket, in minutes of the filter's hours.
DURATIONS = (
    "first_reply",
    "first_resolution",
    "full_resolution",
    "requester_wait",
    "agent_work",
    "agent_wait",
    "on_hold",
)
COUNTS = (
    "reopens",
    "agent_replies",
    "customer_followups",
    "escalations",
    "assignee_stations",
    "group_stations",
)
FLAGS = ("zero_touch", "one_touch", "two_touch", "fcr")
TICKET_HEADER = (
    "ticket",
    "subject",
    "status",
    "channel",
    "inbound",
    "created_at",
    "resolved_at",
    "team_id",
    "agent_id",
    "priority",
    *(f"{d}_minutes" for d in DURATIONS),
    *COUNTS,
    *FLAGS,
)


def minutes(seconds: int | None) -> str:
    return "" if seconds is None else f"{seconds / 60:.2f}"


def fmt(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return value


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Formatted rows through the shared writer (which neutralises formulas)."""
    return csv_export.csv_lines([fmt(v) for v in row] for row in rows)


def ticket_rows(qs: QuerySet, *, business: bool) -> Iterator[tuple]:
    """One tuple per ticket (header first) from a drill-down queryset of tickets with
    ``select_related("metrics")``, read in chunks with the server-side cursor."""
    suffix = "bus" if business else "cal"
    yield TICKET_HEADER
    for t in qs.iterator(chunk_size=2000):
        m = t.metrics
        yield (
            t.pk,
            t.subject,
            m.status,
            m.channel,
            m.inbound,
            m.created_at.isoformat(),
            m.resolved_at.isoformat() if m.resolved_at else "",
            m.resolved_team_id if m.resolved else m.current_team_id,
            m.resolved_agent_id if m.resolved else m.current_agent_id,
            m.resolved_priority if m.resolved else m.current_priority,
            *(minutes(getattr(m, f"{d}_{suffix}")) for d in DURATIONS),
            *(getattr(m, c) for c in COUNTS),
            *(getattr(m, flag) for flag in FLAGS),
        )


def tiles_rows(tiles) -> Iterator[tuple]:
    yield (
        "metric",
        "label",
        "unit",
        "value",
        "previous",
        "change",
        "count",
        "goal_target",
        "goal_status",
        "goal_projection",
    )
    for t in tiles:
        yield (
            t.key,
            t.definition.label,
            t.definition.unit,
            t.value,
            t.previous,
            t.change,
            t.count,
            t.goal.target if t.goal else None,
            t.goal_status.status if t.goal_status else None,
            t.goal_status.projection if t.goal_status else None,
        )


# The unit a value column carries, named in its header (values stay plain numbers).
HEADER_UNITS = {"minutes": "minutes", "percent": "%", "days": "days"}


def column(key: str) -> str:
    """A metric's column header: its label and unit ("First reply (median) [minutes]")."""
    d = METRICS[key]
    unit = HEADER_UNITS.get(d.unit)
    return f"{d.label} [{unit}]" if unit else d.label


def series_column(key: str) -> str:
    """A trend's column header: its key, suffixed with the unit for durations."""
    return f"{key}_minutes" if METRICS[key].unit == "minutes" else key


def table_rows(table: dict) -> Iterator[tuple]:
    metrics = table["metrics"]
    yield (table["by"], f"{table['by']}_id", *(column(m) for m in metrics))
    for r in table["rows"]:
        yield (
            r["name"],
            r["key"] if r["key"] is not None else "",
            *(getattr(r["cells"].get(m), "value", None) for m in metrics),
        )


def series_rows(series: dict) -> Iterator[tuple]:
    metrics = list(series)
    yield ("bucket", *(series_column(m) for m in metrics))
    if not metrics:
        return
    for i, point in enumerate(series[metrics[0]]):
        yield (point["bucket"], *(series[m][i]["value"] for m in metrics))


def sla_rows(summary) -> Iterator[tuple]:
    yield ("sla_metric", "achieved", "breached", "attainment_pct", "previous_attainment_pct")
    for s in summary.sla:
        yield (s.metric, s.achieved, s.breached, s.attainment, s.previous)
    yield ("breached_active_now", summary.breached_active, "", "", "")


def backlog_rows(summary) -> Iterator[tuple]:
    b = summary.backlog
    yield ("age_bucket", "tickets")
    yield from b.buckets.items()
    yield ("total", b.count)
    yield ("actionable", b.actionable)
    yield ("median_age_days", b.median_age_days)
    yield ("p90_age_days", b.p90_age_days)
