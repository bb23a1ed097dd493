"""CSAT and NPS of a period pair from the survey answers (KPI_SPEC.md §6, §9.17, §9.25)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from kpis.selectors.filters import DashboardFilter, _dims, percent

Teams = frozenset[int] | None
PERIODS = ("cur", "prev")


def survey_figures(periods: dict[str, DashboardFilter], teams: Teams) -> dict[str, tuple]:
    """(CSAT %, rated, NPS, responses) per period, current answers by submission instant.

    A rating's team, agent and priority are those at the ticket's stored last solve (§9.17;
    see the report for the reopen caveat). NPS has no team/agent/priority (§9.25): with such a
    filter, or for a team-scoped reader, it is None."""
    try:
        from tickets.models.surveys import SurveyResponse
    except ImportError:  # pragma: no cover - surveys ship with the dashboards
        return {p: (None, 0, None, 0) for p in PERIODS}
    f = periods["cur"]
    lo = min(x.start_instant for x in periods.values())
    hi = max(x.end_instant for x in periods.values())
    qs: QuerySet = SurveyResponse.objects.filter(
        is_current=True, submitted_at__gte=lo, submitted_at__lt=hi
    )
    if f.channel:
        qs = qs.filter(ticket__metrics__channel=f.channel)
    scoped = teams is not None or f.agent is not None or bool(f.priority)
    if scoped:
        qs = qs.filter(
            _dims("ticket__metrics__resolved_", f, teams, channel="ticket__metrics__channel")
        )
    aggs: dict[str, Any] = {}
    for p, pf in periods.items():
        w = Q(submitted_at__gte=pf.start_instant, submitted_at__lt=pf.end_instant)
        aggs[f"{p}_n"] = Count("pk", filter=w)
        aggs[f"{p}_pos"] = Count("pk", filter=w & Q(positive=True))
        aggs[f"{p}_nps"] = Count("pk", filter=w & Q(nps__isnull=False))
        aggs[f"{p}_pro"] = Count("pk", filter=w & Q(nps__gte=9))
        aggs[f"{p}_det"] = Count("pk", filter=w & Q(nps__lte=6))
    r = qs.aggregate(**aggs)
    out = {}
    for p in PERIODS:
        n, responses = r[f"{p}_n"], r[f"{p}_nps"]
        nps = None
        if not scoped and responses:
            nps = 100 * (r[f"{p}_pro"] - r[f"{p}_det"]) / responses
        out[p] = (percent(r[f"{p}_pos"], n), n, nps, 0 if scoped else responses)
    return out
