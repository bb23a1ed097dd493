"""The daily backlog over a range (KPI_SPEC.md §6, §9.15): one point per day, ISO week or
month, each the backlog at the end of its last day (a stock, not a sum). Ended days come from
``DailyBacklog``; the current day is the live backlog at ``now`` (§9.15: X = as_of)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q, Sum
from django.utils import timezone

from kpis.models import BacklogDay, DailyBacklog, TicketBacklogSpan
from kpis.selectors.filters import DashboardFilter, _dims, rollup_rows
from kpis.zone import day_of

METRICS = {"backlog": "n", "actionable_backlog": "n_actionable"}


def values(
    f: DashboardFilter,
    teams: frozenset[int] | None,
    metric: str,
    days: list[date],
    *,
    live: int | None,
    now: datetime | None = None,
) -> dict[date, int | None]:
    """``{day: backlog at its end}`` for ``days``; today takes ``live``; later days, and ended
    days not folded yet, None."""
    today = day_of(now or timezone.now())
    column = METRICS[metric]
    past = [d for d in days if d < today]
    rows = (
        rollup_rows(f, teams, qs=DailyBacklog.objects.all())
        .filter(day__in=past)
        .values("day")
        .annotate(v=Sum(column))
        if past
        else []
    )
    stored = {r["day"]: r["v"] or 0 for r in rows}
    folded = set(BacklogDay.objects.filter(day__in=past).values_list("day", flat=True))
    out: dict[date, int | None] = {}
    for d in days:
        if d < today:  # an ended day not folded yet (just after midnight) has no value yet
            out[d] = stored.get(d, 0) if d in folded else None
        else:
            out[d] = live if d == today else None
    return out


def tickets_on(f: DashboardFilter, teams: frozenset[int] | None, metric: str, day: date) -> Q:
    """A ticket filter: those in the backlog at the end of ``day`` (an ended day)."""
    spans = TicketBacklogSpan.objects.filter(
        Q(last_day__isnull=True) | Q(last_day__gte=day),
        _dims("", f, teams, channel="channel"),
        first_day__lte=day,
    )
    if metric == "actionable_backlog":
        spans = spans.filter(actionable=True)
    return Q(pk__in=spans.values("ticket_id"))
