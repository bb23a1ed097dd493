"""The ticket figures of a performance review, handed to staffing (which never imports kpis):
registered with ``staffing.services.reviews.register_snapshot_provider`` in KpisConfig.ready."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from kpis.selectors.filters import DashboardFilter, metric_rows, stat_of
from kpis.selectors.surveys import survey_figures


def _seconds(minutes: float | None) -> int | None:
    return None if minutes is None else round(minutes * 60)


def review_figures(rep: User, start: date, end: date) -> dict:
    """Tickets solved, median first reply and full resolution (calendar seconds) and CSAT %
    attributed to the rep in ``[start, end]`` (reporting-zone days, KPI_SPEC §4, §6)."""
    f = DashboardFilter(start=start, end=end, agent=rep.pk)
    resolved = metric_rows("resolved", f, None)
    csat, _rated, _nps, _responses = survey_figures({"cur": f, "prev": f.previous()}, None)["cur"]
    return {
        "tickets_solved": resolved.count(),
        "median_first_reply_seconds": _seconds(
            stat_of(metric_rows("first_reply", f, None), "first_reply_cal").median
        ),
        "median_resolution_seconds": _seconds(stat_of(resolved, "full_resolution_cal").median),
        "csat_percent": csat,
    }
