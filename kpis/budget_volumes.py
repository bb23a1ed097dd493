"""The volumes behind the budget's cost per resolved ticket and per contact, handed to
staffing (which never imports kpis): registered with ``staffing.budget.volumes`` in
KpisConfig.ready. Two aggregates over folded rows, whatever the ticket count: resolved
tickets from the daily rollups (level DIMS: team × channel × priority per day) and contacts
(tickets created + customer messages) from the arrivals per half hour."""

from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from kpis.models import ArrivalSlot, DailyRollup
from kpis.models.rollups import DIMS, RollupKind


def monthly_volumes(start: date, end: date) -> dict:
    """{team id: {"YYYY-MM": {channel: {"resolved": n, "contacts": n}}}} for reporting days
    in [start, end)."""
    out: dict[int, dict[str, dict[str, dict[str, int]]]] = {}

    def cell(team: int, month: date, channel: str) -> dict[str, int]:
        return (
            out.setdefault(team, {})
            .setdefault(f"{month:%Y-%m}", {})
            .setdefault(channel, {"resolved": 0, "contacts": 0})
        )

    resolved = (
        DailyRollup.objects.filter(
            kind=RollupKind.RESOLVED,
            level=DIMS,
            day__gte=start,
            day__lt=end,
            team_id__isnull=False,
        )
        .annotate(month=TruncMonth("day"))
        .values("team_id", "month", "channel")
        .annotate(n=Sum("n"))
    )
    for r in resolved:
        if r["team_id"] is not None:
            cell(r["team_id"], r["month"], r["channel"])["resolved"] += r["n"]
    arrivals = (
        ArrivalSlot.objects.filter(day__gte=start, day__lt=end)
        .annotate(month=TruncMonth("day"))
        .values("team_id", "month", "channel")
        .annotate(n=Sum("n"))
    )
    for a in arrivals:
        cell(a["team_id"], a["month"], a["channel"])["contacts"] += a["n"]
    return out
