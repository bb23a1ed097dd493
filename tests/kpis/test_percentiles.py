"""Exact percentiles located through value bins (kpis.selectors.percentiles) equal a plain
sort of the same values, for every window shape the dashboards ask for, and stay exact while a
day waits for its fold."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from kpis import bins, rollup, stats
from kpis.models import DirtyBucket, TicketMetricsRow
from kpis.refresh import refresh_tickets
from kpis.selectors import filters, percentiles, series
from kpis.selectors.filters import DashboardFilter
from kpis.selectors.percentiles import ANY_TEAM, Window
from tickets.models import Ticket
from tickets.seeding import seed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

COLUMNS = {"first_reply": "first_reply", "full_resolution": "resolved"}


def _expected(duration: str, hours: str, w: Window, teams) -> tuple:
    prefix = COLUMNS[duration]
    qs = TicketMetricsRow.objects.filter(
        **{f"{prefix}_day__range": (w.start, w.end), f"{duration}_{hours}__isnull": False}
    )
    if w.team is not ANY_TEAM:
        qs = qs.filter(**{f"{prefix}_team_id": w.team})
    elif teams is not None:
        qs = qs.filter(**{f"{prefix}_team_id__in": teams})
    values = sorted(qs.values_list(f"{duration}_{hours}", flat=True))
    if not values:
        return (0, None, None)
    return (len(values), stats.percentile_cont(values, 0.5), stats.percentile_cont(values, 0.9))


@pytest.fixture
def folded():
    seed(1500, seed=5)
    refresh_tickets(Ticket.objects.values_list("pk", flat=True))
    rollup.fold_dirty()
    assert not DirtyBucket.objects.exists()
    days = (
        TicketMetricsRow.objects.exclude(first_reply_day=None)
        .order_by("first_reply_day")
        .values_list("first_reply_day", flat=True)
    )
    teams = sorted(
        {t for t in TicketMetricsRow.objects.values_list("resolved_team_id", flat=True) if t}
    )
    return days.first(), days.last(), teams


def test_bins_match_postgres_width_bucket():
    from django.db import connection

    samples = [0, 1, 9, 10, 11, 59, 60, 3599, 3600, 86_399, 86_400, 10**8, *bins.EDGES[-3:]]
    with connection.cursor() as cur:
        for v in samples:
            cur.execute(f"SELECT width_bucket(%s::bigint, {bins.sql_array()}) - 1", [v])
            b = cur.fetchone()[0]
            assert b == bins.bin_of(v)
            lower, upper = bins.bounds(b)
            assert lower <= v
            assert upper is None or v < upper


def test_located_percentiles_equal_a_sort(folded):
    first, last, teams = folded
    rng = random.Random(7)
    span = (last - first).days
    checked = 0
    for _ in range(25):
        start = first + timedelta(days=rng.randint(0, span))
        end = min(last, start + timedelta(days=rng.randint(0, 40)))
        scope = rng.choice([None, frozenset(teams[:1]), frozenset(teams[1:3])])
        windows = [
            Window("range", start, end),
            Window("unassigned", start, end, team=None),
            *(Window(t, start, end, team=t) for t in (scope or teams)),
        ]
        if scope is not None:
            windows = [w for w in windows if w.key != "unassigned"]
        for duration in COLUMNS:
            for hours in ("cal", "bus"):
                got = percentiles.median_p90(duration, hours, windows, scope)
                for w in windows:
                    assert got[w.key] == _expected(duration, hours, w, scope), (duration, w)
                    checked += got[w.key][0]
    assert checked > 10_000  # real data went through, not only empty windows


def test_empty_and_single_value_windows(folded):
    first, _, _ = folded
    before = first - timedelta(days=30)
    got = percentiles.median_p90("first_reply", "cal", [Window("x", before, before)], None)
    assert got == {"x": (0, None, None)}
    one_day = TicketMetricsRow.objects.filter(first_reply_day=first).order_by("first_reply_cal")
    value = one_day.values_list("first_reply_cal", flat=True).first()
    got = percentiles.median_p90("first_reply", "cal", [Window("d", first, first)], None)
    assert got["d"][0] == one_day.count()
    if got["d"][0] == 1:
        assert got["d"][1:] == (value, value)


def test_a_day_waiting_for_its_fold_is_still_exact(folded):
    first, last, _ = folded
    row = TicketMetricsRow.objects.filter(first_reply_day=last).order_by("ticket_id").first()
    assert row is not None
    # A refresh changed a value; its fold has not run yet (the bucket is dirty).
    TicketMetricsRow.objects.filter(pk=row.pk).update(first_reply_cal=10**7)
    rollup.mark_dirty([("first_reply", last)])
    w = Window("all", first, last)
    assert percentiles.stale_windows("first_reply", [w]) == {0}
    got = percentiles.median_p90("first_reply", "cal", [w], None)
    assert got["all"] == _expected("first_reply", "cal", w, None)
    rollup.fold_dirty()
    assert percentiles.stale_windows("first_reply", [w]) == set()
    assert percentiles.median_p90("first_reply", "cal", [w], None)["all"] == got["all"]


def _day_points(prefix: str, stem: str, f: DashboardFilter, teams) -> dict:
    """``{day: (count, median, p90)}`` in minutes, sorted by hand from the filter's rows."""
    per_day: dict = {}
    for day, v in filters.metric_rows(prefix, f, teams).values_list(
        f"{prefix}_day", f"{stem}_{f.suffix}"
    ):
        per_day.setdefault(day, []).append(v)
    return {
        day: (
            len(vs),
            stats.percentile_cont(sorted(vs), 0.5) / 60,
            stats.percentile_cont(sorted(vs), 0.9) / 60,
        )
        for day, vs in per_day.items()
    }


def test_daily_trends_read_the_rollups_own_percentiles(folded, director):
    first, last, teams = folded
    start, end = first, min(last, first + timedelta(days=90))
    cell = (
        TicketMetricsRow.objects.filter(resolved_day__range=(start, end), resolved_team_id=teams[0])
        .values_list("channel", "resolved_priority", "resolved_agent_id")
        .first()
    )
    channel, priority, agent = cell
    views = [
        {},
        {"team": teams[0]},
        {"team": teams[0], "channel": channel, "priority": priority},
        {"team": teams[0], "channel": channel, "priority": priority, "agent": agent},
        {"team": teams[0], "business": True},
    ]
    checked = 0
    for view in views:
        f = DashboardFilter(start=start, end=end, **view)
        scope = filters.teams_for(director, f)
        assert filters.one_row_per_day(f, scope)
        for stem, prefix in (("first_reply", "first_reply"), ("full_resolution", "resolved")):
            assert series._daily_stats(stem, f, scope) is not None  # the precomputed path
            points = series.timeseries(director, f, f"{stem}_median")
            p90s = series.timeseries(director, f, f"{stem}_p90")
            expected = _day_points(prefix, stem, f, scope)
            got = {
                p.key: (p.count, p.value, q.value)
                for p, q in zip(points, p90s, strict=True)
                if p.count
            }
            assert got.keys() == expected.keys()
            for day, (n, median, p90) in expected.items():
                assert got[day][0] == n
                assert got[day][1] == pytest.approx(median, abs=1e-9)
                assert got[day][2] == pytest.approx(p90, abs=1e-9)
                checked += n
    assert checked > 1000


def test_daily_trends_compute_from_values_when_rows_do_not_answer(folded, director):
    first, last, teams = folded
    end = min(last, first + timedelta(days=10))
    two_teams = DashboardFilter(start=first, end=end)
    scope = frozenset(teams[:2])
    assert not filters.one_row_per_day(two_teams, scope)
    assert not filters.one_row_per_day(DashboardFilter(start=first, end=end, channel="email"), None)
    one = DashboardFilter(start=first, end=end, team=teams[0])
    DirtyBucket.objects.create(kind="first_reply", day=first, marked_at=timezone.now())
    assert series._daily_stats("first_reply", one, frozenset(teams[:1])) is None
    points = series.timeseries(director, one, "first_reply_median")
    expected = _day_points("first_reply", "first_reply", one, frozenset(teams[:1]))
    assert {p.key: p.value for p in points if p.count} == pytest.approx(
        {day: median for day, (_, median, _) in expected.items()}
    )
