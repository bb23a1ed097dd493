"""The dashboard's view models, built on the engine's selectors (``kpis.selectors``).

This module only reads: it shapes ``summary``/``timeseries``/``breakdown`` results for the
templates, finds the tickets behind a value (drill-down) and reports freshness. It adds no
metric rule of its own; every number comes from the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from csops import permissions
from kpis import goals, selectors
from kpis.definitions import METRICS, TILE_ORDER, Definition
from kpis.models import Goal, TicketSlaRow
from kpis.selectors import DashboardFilter, Summary, summary, teams_for
from kpis.selectors.surveys import rated
from kpis.zone import day_of
from policies.models import PolicyVersion
from staffing.models import TrainingRecord
from tickets.models import SurveyResponse, Ticket


@dataclass(frozen=True)
class TileView:
    key: str
    definition: Definition
    value: float | int | None
    previous: float | int | None
    count: int | None
    goal: Goal | None
    goal_status: goals.GoalStatus | None
    details: tuple[tuple[str, float | int | None], ...] = ()

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def improved(self) -> bool | None:
        change = self.change
        if not change:
            return None
        return (change < 0) == self.definition.lower_is_better


def tiles(user: User, f: DashboardFilter, *, now: datetime | None = None) -> tuple[list, object]:
    result = summary(user, f, now=now)
    today = day_of(now or timezone.now())
    views = []
    tile_goals = goals.goals_for_tiles(user, f.team, min(today, f.end))
    value_of = _shared_goal_values()
    for key in TILE_ORDER:
        tile = result.tiles.get(key)
        if tile is None:
            continue
        goal = tile_goals.get(key)
        status = goals.evaluate(user, goal, value_of, today=today) if goal else None
        details: tuple = ()
        if key.endswith("_median") and key != "backlog_age_median":
            stem = key.removesuffix("_median")
            details = tuple(
                (part, result.tiles[f"{stem}_{part}"].value)
                for part in ("p90", "mean")
                if f"{stem}_{part}" in result.tiles
            )
        elif key == "backlog":
            details = (
                ("median age", result.backlog.median_age_days),
                ("p90 age", result.backlog.p90_age_days),
            )
        views.append(
            TileView(
                key, METRICS[key], tile.value, tile.previous, tile.count, goal, status, details
            )
        )
    return views, result


def goal_value(user: User, goal: Goal, start: date, end: date) -> float | None:
    """The goal's metric over [start, end] for its team, in its hours (``goals.ValueFn``)."""
    return _shared_goal_values()(user, goal, start, end)


def _shared_goal_values() -> goals.ValueFn:
    """A ``goals.ValueFn`` that computes one summary per (team, hours, period): goals of
    several metrics over the same period share it."""
    done: dict[tuple, Summary] = {}

    def value(user: User, goal: Goal, start: date, end: date) -> float | None:
        key = (goal.team_id, goal.hours, start, end)
        if key not in done:
            business = goal.hours == "business"
            f = DashboardFilter(start=start, end=end, team=goal.team_id, business=business)
            done[key] = summary(user, f)
        tile = done[key].tiles.get(goal.metric)
        return None if tile is None else tile.value

    return value


def today() -> date:
    """Today in the reporting time zone."""
    return day_of(timezone.now())


# --- Drill-down ----------------------------------------------------------------------------

DRILL_METRICS = (
    "created",
    "resolved",
    "backlog",
    "actionable_backlog",
    "backlog_age_median",
    "first_reply_median",
    "first_reply_p90",
    "first_reply_mean",
    "full_resolution_median",
    "full_resolution_p90",
    "full_resolution_mean",
    "fcr",
    "one_touch",
    "reopen_rate",
    "csat",
    "nps",
    "sla_attainment",
)


def drill_rows(
    user: User, f: DashboardFilter, metric: str, bucket: date | str | None = None
) -> QuerySet[Ticket]:
    """The tickets behind ``metric`` under ``f`` (``select_related("metrics")``), scoped to
    the user's teams: the engine's ``drilldown``, plus CSAT (the rated tickets of the range,
    attributed to the team and agent at the last solve at or before the rating, §9.17)."""
    if metric == "sla_attainment":
        return _sla_tickets(user, f, bucket if isinstance(bucket, str) else None)
    if metric == "nps":
        return _nps_tickets(user, f)
    if metric != "csat":
        return selectors.drilldown(user, f, metric, bucket)
    teams = teams_for(user, f)
    qs = Ticket.objects.select_related("metrics", "team", "assignee").filter(
        pk__in=rated(f, teams).values("ticket_id"), metrics__isnull=False
    )
    return qs.order_by("pk")


def _tickets() -> QuerySet[Ticket]:
    return Ticket.objects.select_related("metrics", "team", "assignee").filter(
        metrics__isnull=False
    )


def _sla_tickets(user: User, f: DashboardFilter, sla_metric: str | None) -> QuerySet[Ticket]:
    """Tickets with an SLA outcome counted in attainment under ``f`` (as ``sla_counts``:
    finished achieved/breached by outcome day, plus unfinished ones whose due time passed in
    the range), optionally of one SLA metric."""
    teams = teams_for(user, f)
    now = timezone.now()
    rows = TicketSlaRow.objects.filter(
        Q(finished=True, outcome__in=("achieved", "breached"), outcome_day__range=(f.start, f.end))
        | Q(finished=False, due_at__gte=f.start_instant, due_at__lt=min(now, f.end_instant))
    )
    if sla_metric:
        rows = rows.filter(metric=sla_metric)
    if teams is not None:
        rows = rows.filter(team_id__in=teams)
    if f.agent is not None:
        rows = rows.filter(agent_id=None if f.agent == "unassigned" else f.agent)
    if f.channel:
        rows = rows.filter(channel=f.channel)
    if f.priority:
        rows = rows.filter(priority=f.priority)
    return _tickets().filter(pk__in=rows.values("ticket_id")).order_by("pk")


def _nps_tickets(user: User, f: DashboardFilter) -> QuerySet[Ticket]:
    """Tickets whose current answer carries an NPS score submitted in the range (NPS has no
    team or agent, §9.25; a manager still sees only their teams' tickets)."""
    answered = SurveyResponse.objects.filter(
        is_current=True,
        nps__isnull=False,
        submitted_at__gte=f.start_instant,
        submitted_at__lt=f.end_instant,
    ).values("ticket_id")
    teams_for(user, f)  # access check only
    return permissions.scope_tickets(user, _tickets().filter(pk__in=answered)).order_by("pk")


def drill_table(tickets, *, business: bool) -> list[dict]:
    """Per-ticket metrics of drill-down tickets, durations in minutes of the chosen hours."""
    suffix = "bus" if business else "cal"

    def minutes(seconds: int | None) -> float | None:
        return None if seconds is None else seconds / 60

    rows = []
    for t in tickets:
        m = t.metrics
        rows.append(
            {
                "ticket": t,
                "row": m,
                "first_reply": minutes(getattr(m, f"first_reply_{suffix}")),
                "first_resolution": minutes(getattr(m, f"first_resolution_{suffix}")),
                "full_resolution": minutes(getattr(m, f"full_resolution_{suffix}")),
                "requester_wait": minutes(getattr(m, f"requester_wait_{suffix}")),
            }
        )
    return rows


# --- Freshness and rebuild (the engine's selectors) ----------------------------------------

freshness = selectors.freshness
rebuild_progress = selectors.rebuild_progress


# --- Chart markers -------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    day: date
    kind: str  # "policy" | "training"
    label: str


def markers(user: User, f: DashboardFilter, *, limit: int = 30) -> list[Marker]:
    """Published policy versions and training completions in the range, so a change shows
    next to its effect. Training counts respect the user's (and the filter's) teams."""
    out: list[Marker] = []
    published = (
        PolicyVersion.objects.filter(
            published_at__gte=f.start_instant, published_at__lt=f.end_instant
        )
        .select_related("document")
        .order_by("published_at")[:limit]
    )
    for v in published:
        if v.published_at is not None:
            label = f"{v.document.title} v{v.number}"
            out.append(Marker(day_of(v.published_at), "policy", label))
    teams = teams_for(user, f)
    records = TrainingRecord.objects.filter(completed_on__range=(f.start, f.end))
    if teams is not None:
        records = records.filter(team_id__in=teams)
    done = (
        records.values("completed_on", "course__title")
        .annotate(n=Count("pk"))
        .order_by("completed_on")[:limit]
    )
    for r in done:
        if r["completed_on"] is not None:
            label = f"{r['course__title']}: {r['n']} completed"
            out.append(Marker(r["completed_on"], "training", label))
    return sorted(out, key=lambda m: m.day)
