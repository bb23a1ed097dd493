"""A team's demand figures for the planning pages: history, forecast, backtest, measured
handle time. Reads ``ArrivalSlot`` rows of one team for the model's weeks (a few thousand
rows) and one aggregate over the team's recently resolved tickets; the result is cached per
(team, settings, current week, refold generation) for an hour, so a page view after the first
is a cache read.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import F, Sum

from kpis.forecast import model
from kpis.forecast.fold import generation
from kpis.models import ArrivalSlot, TicketMetricsRow
from kpis.zone import day_of, reporting_zone, week_start
from policies.models import CalendarVersion, OrganizationSettings
from tickets.models import Incident
from tickets.models.tickets import Channel

HELD_OUT = 4  # backtest weeks
DECAY = 0.85
CACHE_SECONDS = 3600


def excluded_days(team_id: int, start: date, end: date) -> dict[date, str]:
    """Days left out of the model: holidays of the default calendar (any version) and days
    on which an incident of the team was declared (its spike is not demand to plan for)."""
    days: dict[date, str] = {}
    org = OrganizationSettings.objects.filter(pk=1).first()
    if org is not None and org.default_calendar_id:
        for holidays in CalendarVersion.objects.filter(
            calendar_id=org.default_calendar_id
        ).values_list("holidays", flat=True):
            for key in holidays or {}:
                day = date.fromisoformat(key)
                if start <= day < end:
                    days[day] = "holiday"
    zone = reporting_zone()
    for at in Incident.objects.filter(team_id=team_id).values_list("declared_at", flat=True):
        day = at.astimezone(zone).date()
        if start <= day < end:
            days.setdefault(day, "incident")
    return days


def _history(team_id: int, start: date, n_weeks: int, excluded) -> dict[str, list]:
    """Per channel, ``n_weeks`` weeks from ``start`` (a Monday), each 336 half-hour counts
    (None on excluded days)."""
    size = n_weeks * model.SLOTS
    blank = [None if start + timedelta(days=i // 48) in excluded else 0.0 for i in range(size)]
    flat: dict[str, list] = defaultdict(lambda: list(blank))
    rows = ArrivalSlot.objects.filter(
        team_id=team_id, day__gte=start, day__lt=start + timedelta(weeks=n_weeks)
    ).values_list("day", "slot", "channel", "n")
    for day, slot, channel, n in rows:
        i = (day - start).days * 48 + slot
        cells = flat[channel]
        if cells[i] is not None:
            cells[i] += n
    return {
        ch: [cells[w * model.SLOTS : (w + 1) * model.SLOTS] for w in range(n_weeks)]
        for ch, cells in flat.items()
    }


def measured_aht(team_id: int, start: date, end: date) -> dict[str, int | None]:
    """Agent work time (KPI_SPEC §4: time in the agents' statuses) per contact of the team's
    tickets resolved in [start, end), per channel: Σ agent work ÷ Σ (1 + customer follow-ups).
    It overstates handle time where tickets wait open in the queue; the page says so and the
    what-if controls take over."""
    rows = (
        TicketMetricsRow.objects.filter(
            resolved=True, resolved_team_id=team_id, resolved_day__gte=start, resolved_day__lt=end
        )
        .values("channel")
        .annotate(work=Sum("agent_work_cal"), contacts=Sum(F("customer_followups") + 1))
    )
    return {
        r["channel"]: (round(r["work"] / r["contacts"]) if r["contacts"] else None) for r in rows
    }


def team_forecast(team_id: int, *, weeks: int = 8, horizon: int = 12, today: date | None = None):
    """The figures handed to staffing (plain data; see ``kpis.forecast.provider``)."""
    from django.utils import timezone

    this_week = week_start(today or day_of(timezone.now()))
    # The model reads complete weeks only, so new arrivals (this week) do not change it: the
    # key holds the week and the refold generation; backdated imports show within the hour.
    key = f"kpis-forecast-{team_id}-{weeks}-{horizon}-{this_week}-{generation()[0]}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    n_weeks = weeks + HELD_OUT
    start = this_week - timedelta(weeks=n_weeks)
    excluded = excluded_days(team_id, start, this_week)
    history = _history(team_id, start, n_weeks, excluded)
    order = [c for c in Channel.values if c in history] + sorted(set(history) - set(Channel.values))
    channels = {}
    total = None
    for ch in order:
        recent = history[ch][-weeks:]
        fit = model.fit(recent, DECAY)
        accuracy = model.backtest(history[ch], HELD_OUT, DECAY)
        total = accuracy if total is None else (total + accuracy if accuracy else total)
        channels[ch] = {
            "label": Channel(ch).label if ch in Channel.values else ch,
            "level": fit.level,
            "slope": fit.slope,
            "trend_percent": fit.trend_percent,
            "history_totals": fit.totals,
            "forecast": [fit.week(h) for h in range(1, horizon + 1)],
            "backtest": _accuracy(accuracy),
        }
    figures = {
        # This computation's identity: a consumer may memoize what it derives from these
        # figures under it (staffing memoizes the requirement per what-if).
        "version": f"{key}-{uuid.uuid4().hex}",
        "team_id": team_id,
        "history_start": start,
        "forecast_start": this_week,
        "zone": reporting_zone().key,  # the half hours' clock
        "weeks": weeks,
        "horizon": horizon,
        "decay": DECAY,
        "held_out": HELD_OUT,
        "excluded_days": sorted(excluded.items()),
        "channels": channels,
        "backtest": _accuracy(total),
        "aht_seconds": measured_aht(team_id, this_week - timedelta(weeks=weeks), this_week),
    }
    cache.set(key, figures, CACHE_SECONDS)
    return figures


def _accuracy(a: model.Accuracy | None) -> dict | None:
    if a is None:
        return None
    return {"actual": a.actual, "model_wape": a.model_wape, "naive_wape": a.naive_wape}
