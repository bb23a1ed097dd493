"""CSAT and NPS of a period pair from the survey answers (KPI_SPEC.md §6, §9.17, §9.25).

Only current answers count (the latest answer of a ticket wins), on their submission day. A
rating's team, agent and priority are the ones stored on the answer at submission: those at
the ticket's last solve at or before it (``tickets.services.survey_attribution``); a reopen
or re-solve after it changes nothing. A rating with no such solve is *unattributed*: it counts
only in the all-teams view without an agent or priority filter. The channel is the ticket's
creation channel. NPS has no team, agent or priority (§9.25).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from kpis.selectors.filters import DashboardFilter, _dims, percent
from tickets.models import SurveyResponse

Teams = frozenset[int] | None
PERIODS = ("cur", "prev")


def is_scoped(f: DashboardFilter, teams: Teams) -> bool:
    """True when ratings must be attributed to count (a team set, an agent or a priority)."""
    return teams is not None or f.agent is not None or bool(f.priority)


def attribution_filter(f: DashboardFilter, teams: Teams) -> Q:
    """The dimensions of ``f`` (and the reader's team scope) on the stored attribution."""
    if is_scoped(f, teams):
        return Q(attributed=True) & _dims("", f, teams, channel="ticket__channel")
    return Q(ticket__channel=f.channel) if f.channel else Q()


def rated(
    f: DashboardFilter, teams: Teams, *, start: datetime | None = None, end: datetime | None = None
) -> QuerySet[SurveyResponse]:
    """Current answers that count under ``f`` and ``teams``, submitted in ``[start, end)``
    (default: ``f``'s range). The CSAT drill-down and the voice of the customer read these."""
    start = f.start_instant if start is None else start
    end = f.end_instant if end is None else end
    return SurveyResponse.objects.filter(
        attribution_filter(f, teams), is_current=True, submitted_at__gte=start, submitted_at__lt=end
    )


def survey_figures(periods: dict[str, DashboardFilter], teams: Teams) -> dict[str, tuple]:
    """(CSAT %, rated, NPS, responses) per period, current answers by submission instant, in
    one query. With a team set, an agent or a priority, NPS is None and responses 0 (§9.25)."""
    f = periods["cur"]
    lo = min(x.start_instant for x in periods.values())
    hi = max(x.end_instant for x in periods.values())
    scoped = is_scoped(f, teams)
    aggs: dict[str, Any] = {}
    for p, pf in periods.items():
        w = Q(submitted_at__gte=pf.start_instant, submitted_at__lt=pf.end_instant)
        # Count a non-null indexed column (not pk) so the covering indexes answer alone.
        aggs[f"{p}_n"] = Count("submitted_at", filter=w)
        aggs[f"{p}_pos"] = Count("submitted_at", filter=w & Q(positive=True))
        if not scoped:
            aggs[f"{p}_nps"] = Count("nps", filter=w)
            aggs[f"{p}_pro"] = Count("nps", filter=w & Q(nps__gte=9))
            aggs[f"{p}_det"] = Count("nps", filter=w & Q(nps__lte=6))
    r = rated(f, teams, start=lo, end=hi).aggregate(**aggs)
    out = {}
    for p in PERIODS:
        n, responses = r[f"{p}_n"], r.get(f"{p}_nps", 0)
        nps = 100 * (r[f"{p}_pro"] - r[f"{p}_det"]) / responses if responses else None
        out[p] = (percent(r[f"{p}_pos"], n), n, nps, responses)
    return out
