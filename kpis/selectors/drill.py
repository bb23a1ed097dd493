"""``drilldown``: the exact tickets behind a tile, bar or table cell, with their metrics."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from csops.errors import InvalidInput
from kpis import stats
from kpis.models.ticket_metrics import ACTIONABLE_STATUSES, UNRESOLVED_STATUSES
from kpis.selectors import backlog_trend
from kpis.selectors.filters import DashboardFilter, _dims, teams_for
from kpis.zone import day_of
from tickets.models import Ticket

# metric key (or its stem) -> the attribution prefix of the values behind it.
_PREFIX = {
    "created": "created",
    "resolved": "resolved",
    "first_reply": "first_reply",
    "first_resolution": "first_resolution",
    "full_resolution": "resolved",
    "fcr": "resolved",
    "one_touch": "resolved",
    "reopen_rate": "resolved",
}
_NUMERATOR: dict[str, dict[str, object]] = {
    "fcr": {"metrics__fcr": True},
    "one_touch": {"metrics__one_touch": True},
    "reopen_rate": {"metrics__reopens__gte": 1},
}
_BACKLOG = ("backlog", "actionable_backlog", "backlog_age_median")
_AGE_DAYS = dict(zip(stats.BACKLOG_BUCKETS, (0, 1, 3, 7, 30), strict=True))


def _stem(metric: str) -> str:
    for suffix in ("_median", "_p90", "_mean"):
        if metric.endswith(suffix) and not metric.startswith("backlog"):
            return metric.removesuffix(suffix)
    return metric


def drilldown(
    user,
    f: DashboardFilter,
    metric: str,
    bucket: date | str | None = None,
    *,
    numerator: bool = False,
    now: datetime | None = None,
) -> QuerySet[Ticket]:
    """Tickets (``select_related("metrics")``) behind ``metric`` under ``f``.

    ``bucket``: a timeseries bucket start (date) narrows the range; for backlog metrics an age
    bucket label ("1-3d"). Rates list their denominator, or with ``numerator`` the tickets
    counted on top (e.g. FCR tickets)."""
    teams = teams_for(user, f)
    tickets = Ticket.objects.select_related("metrics", "team", "assignee")
    if metric in _BACKLOG:
        now = now or timezone.now()
        if isinstance(bucket, date):  # a trend point: the backlog at the end of its last day
            day = f.bucket_range(bucket)[1]
            if day < day_of(now):
                trend_metric = "actionable_backlog" if metric == "actionable_backlog" else "backlog"
                q = backlog_trend.tickets_on(f, teams, trend_metric, day)
                return tickets.filter(q).order_by("metrics__created_at", "pk")
        statuses = ACTIONABLE_STATUSES if metric == "actionable_backlog" else UNRESOLVED_STATUSES
        q = _dims("metrics__current_", f, teams, channel="metrics__channel")
        qs = tickets.filter(q, metrics__status__in=statuses)
        if isinstance(bucket, str):
            if bucket not in _AGE_DAYS:
                raise InvalidInput("Unknown age bucket.", fields={"bucket": ["Unknown."]})
            lows = list(_AGE_DAYS.values())
            i = list(_AGE_DAYS).index(bucket)
            qs = qs.filter(metrics__created_at__lte=now - timedelta(days=lows[i]))
            if i + 1 < len(lows):
                qs = qs.filter(metrics__created_at__gt=now - timedelta(days=lows[i + 1]))
        return qs.order_by("metrics__created_at", "pk")
    stem = _stem(metric)
    if stem not in _PREFIX:
        raise InvalidInput("This metric has no ticket list.", fields={"metric": ["Unknown."]})
    prefix = _PREFIX[stem]
    start, end = (f.start, f.end) if not isinstance(bucket, date) else f.bucket_range(bucket)
    q = _dims(f"metrics__{prefix}_", f, teams, channel="metrics__channel")
    qs = tickets.filter(q, **{f"metrics__{prefix}_day__range": (start, end)})
    if stem in ("first_reply", "first_resolution", "full_resolution"):
        qs = qs.filter(**{f"metrics__{stem}_cal__isnull": False})
    if stem == "fcr":
        qs = qs.filter(metrics__inbound=True)
    if numerator and stem in _NUMERATOR:
        qs = qs.filter(**_NUMERATOR[stem])
    return qs.order_by(f"metrics__{prefix}_day", "pk")
