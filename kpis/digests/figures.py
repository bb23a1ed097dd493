"""The numbers of a digest, read with the dashboard's own code.

Each section is one dashboard view: ``kpis.dashboard.tiles(user, f)`` for the period ``f``
(its tiles, goals and the previous period of the same length, exactly what the dashboard shows
for that range and team) plus the period's worst SLA breaches, counted as the dashboard's SLA
attainment counts them. Nothing here computes a metric of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from django.contrib.auth.models import User
from django.db.models import DurationField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce

from csops import permissions
from csops.errors import NotAllowed
from kpis import dashboard
from kpis.dashboard import TileView
from kpis.digests import periods
from kpis.models import TicketSlaRow
from kpis.selectors import DashboardFilter, Summary, teams_for
from staffing.models import Team

WORST_BREACHES = 10


@dataclass(frozen=True)
class Breach:
    ticket_id: int
    subject: str
    team: str
    metric: str  # an SLA metric key (policies.sla.METRICS)
    due_at: datetime
    late_minutes: float
    still_open: bool  # unfinished: late until now


@dataclass(frozen=True)
class Section:
    title: str
    team_id: int | None
    filter: DashboardFilter
    tiles: list[TileView]
    summary: Summary
    breaches: list[Breach]

    @property
    def breach_count(self) -> int:
        """Breached instances of the period (the dashboard's SLA table, summed)."""
        return sum(s.breached for s in self.summary.sla)


@dataclass(frozen=True)
class Digest:
    cadence: str
    start: date
    end: date
    as_of: datetime
    sections: list[Section]
    left_out: list[str]  # chosen teams no longer in the reader's scope

    @property
    def label(self) -> str:
        return periods.label(self.cadence, self.start, self.end)

    @property
    def previous(self) -> DashboardFilter:
        return DashboardFilter(start=self.start, end=self.end).previous()


def worst_breaches(
    user: User, f: DashboardFilter, now: datetime, *, limit: int = WORST_BREACHES
) -> list[Breach]:
    """The period's breached SLA instances, latest past due first: finished ones breached
    on a day of the range, and unfinished ones whose due time passed in the range (late until
    ``now``), as the dashboard's attainment counts them (§6, §9.16)."""
    teams = teams_for(user, f)
    rows = TicketSlaRow.objects.filter(
        Q(finished=True, outcome="breached", outcome_day__range=(f.start, f.end))
        | Q(finished=False, due_at__gte=f.start_instant, due_at__lt=min(now, f.end_instant))
    ).filter(due_at__isnull=False)
    if teams is not None:
        rows = rows.filter(team_id__in=teams)
    late = ExpressionWrapper(
        Coalesce("ended_at", Value(now)) - F("due_at"), output_field=DurationField()
    )
    found = list(
        rows.annotate(late=late)
        .select_related("ticket")
        .order_by("-late", "ticket_id", "metric")[:limit]
    )
    names = dict(Team.objects.filter(pk__in={r.team_id for r in found}).values_list("pk", "name"))
    return [
        Breach(
            ticket_id=r.ticket_id,
            subject=r.ticket.subject,
            team=names.get(r.team_id or 0, "No team"),
            metric=r.metric,
            due_at=r.due_at,
            late_minutes=r.late.total_seconds() / 60,
            still_open=not r.finished,
        )
        for r in found
        if r.due_at is not None
    ]


def section(user: User, title: str, f: DashboardFilter, now: datetime) -> Section:
    tiles, result = dashboard.tiles(user, f, now=now)
    summary = cast(Summary, result)  # dashboard.tiles returns the selector's Summary
    return Section(title, f.team, f, tiles, summary, worst_breaches(user, f, now))


def compute(
    user: User,
    *,
    cadence: str,
    start: date,
    end: date,
    team_ids: list[int],
    business: bool,
    now: datetime,
) -> Digest:
    """The digest of ``user`` for [start, end]: one section over their whole scope when
    ``team_ids`` is empty, else one per chosen team still in their scope. Raises
    ``NotAllowed`` when the user no longer reads dashboards."""
    permissions.ensure_can_view_dashboard(user)
    sections, left_out = [], []
    if not team_ids:
        scope = permissions.team_scope(user)
        if scope is None:
            title = "All teams"
        else:
            names = (
                Team.objects.filter(pk__in=scope).order_by("name").values_list("name", flat=True)
            )
            title = ", ".join(names) or "Your teams"
        f = DashboardFilter(start=start, end=end, business=business)
        sections.append(section(user, title, f, now))
    else:
        teams = Team.objects.filter(pk__in=team_ids).order_by("name")
        for team in teams:
            f = DashboardFilter(start=start, end=end, team=team.pk, business=business)
            try:
                sections.append(section(user, team.name, f, now))
            except NotAllowed:
                left_out.append(team.name)
    return Digest(cadence, start, end, now, sections, left_out)
