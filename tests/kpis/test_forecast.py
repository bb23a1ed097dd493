"""The demand forecast (kpis.forecast): the pure model on synthetic series, the backtest by
hand, and the fold + figures on the real database."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache

from kpis.forecast import fold, model
from kpis.forecast.figures import team_forecast
from kpis.models import ArrivalSlot
from tests.factories import CustomerFactory, make_incident, make_ticket
from tickets.models import TicketEvent

SLOTS = model.SLOTS


def _pattern() -> list[float]:
    """A weekly shape: office hours on weekdays, a quieter Saturday, a closed Sunday."""
    shape = []
    for s in range(SLOTS):
        day, half = divmod(s, 48)
        hour = half / 2
        base = 0.0 if day == 6 else (0.4 if day == 5 else 1.0)
        shape.append(base * (1 + math.sin((hour - 8) / 10 * math.pi)) if 8 <= hour < 18 else 0.02)
    total = sum(shape)
    return [v / total for v in shape]


def _series(weeks: int, start: float, slope: float) -> list[model.Week]:
    p = _pattern()
    return [[p[s] * (start + slope * w) for s in range(SLOTS)] for w in range(weeks)]


def test_exact_pattern_and_trend_are_recovered_even_with_excluded_days():
    weeks = _series(8, 1000, 50)  # weekly volume 1000, 1050, ... 1350
    for s in range(2 * 48, 3 * 48):  # a holiday Wednesday in week 3
        weeks[3][s] = None
    fit = model.fit(weeks, decay=0.85)
    # Exact up to the fixed point's convergence (1e-9 relative).
    assert fit.level == pytest.approx(1350, rel=1e-9)
    assert fit.slope == pytest.approx(50, rel=1e-9)
    truth = _pattern()
    for ahead in (1, 4, 12):
        expected = [p * (1350 + 50 * ahead) for p in truth]
        assert fit.week(ahead) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method is fine for the small means of one half hour.
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def test_noisy_pattern_with_trend_is_recovered_within_tolerance():
    """Poisson counts around 2000→2700 a week: next week's total within 3 %, each weekday's
    total within 10 % of the truth (the stated tolerance)."""
    rng = random.Random(7)
    truth = _series(8, 2000, 100)
    weeks = [[float(_poisson(rng, v)) for v in week] for week in truth]
    fit = model.fit(weeks)
    predicted = fit.week(1)
    expected = [p * (2000 + 100 * 8) for p in _pattern()]
    assert sum(predicted) == pytest.approx(sum(expected), rel=0.03)
    for day in range(6):  # Sunday is closed: near zero both ways
        got = sum(predicted[day * 48 : (day + 1) * 48])
        want = sum(expected[day * 48 : (day + 1) * 48])
        assert got == pytest.approx(want, rel=0.10), day


def test_backtest_equals_the_hand_computation():
    def week(a: float, b: float) -> model.Week:
        return [a, b] + [0.0] * (SLOTS - 2)

    weeks = [week(10, 30), week(12, 28), week(8, 36), week(10, 30), week(14, 26)]
    result = model.backtest(weeks, held_out=4)
    # Fitted on week 0 alone: shares 1/4, 3/4 of 40 a week, no trend -> 10 and 30 each week.
    # Model errors: 4 + 8 + 0 + 8 = 20; naive (the week before): 4 + 12 + 8 + 8 = 32.
    assert result.actual == 164
    assert result.model_error == pytest.approx(20)
    assert result.naive_error == pytest.approx(32)
    assert result.model_wape == pytest.approx(20 / 164)
    assert result.naive_wape == pytest.approx(32 / 164)


def test_backtest_skips_half_hours_whose_day_or_the_day_before_is_excluded():
    def week(a, b):
        return [a, b] + [0.0] * (SLOTS - 2)

    weeks = [week(10, 30), week(12, 28), week(None, None), week(10, 30), week(14, 26)]
    result = model.backtest(weeks, held_out=4)
    # Compared: week 1 (vs 0), week 4 (vs 3); week 2 is excluded, week 3's "before" is too.
    assert result.actual == 80
    assert result.model_error == pytest.approx(4 + 8)
    assert result.naive_error == pytest.approx(4 + 8)


@pytest.mark.django_db
def test_fold_counts_created_tickets_and_customer_messages_per_half_hour(team, manager):
    ticket = make_ticket(team, channel="phone")
    customer = CustomerFactory()
    monday = date(2026, 11, 2)
    at = datetime(2026, 11, 2, 9, 10, tzinfo=UTC)
    TicketEvent.objects.bulk_create(
        [
            TicketEvent(
                ticket=ticket, at=at, type="public_reply", actor_role="customer", customer=customer
            ),
            TicketEvent(
                ticket=ticket,
                at=at + timedelta(minutes=15),
                type="public_reply",
                actor_role="customer",
                customer=customer,
            ),
            TicketEvent(
                ticket=ticket, at=at, type="public_reply", actor_role="agent", actor=manager
            ),
            TicketEvent(
                ticket=ticket, at=at, type="internal_note", actor_role="agent", actor=manager
            ),
        ]
    )
    fold.fold_arrivals(settle=False)
    fold.fold_arrivals(settle=False)  # a second run counts nothing twice
    rows = {(r.day, r.slot, r.channel): r.n for r in ArrivalSlot.objects.filter(team_id=team.pk)}
    assert rows[(monday, 18, "phone")] == 2  # 09:10 and 09:25 customer messages
    assert sum(rows.values()) == 3  # + the ticket's creation (today)
    # settle=True (the periodic task): an event is folded on the run after it is first seen.
    TicketEvent.objects.create(
        ticket=ticket, at=at, type="public_reply", actor_role="customer", customer=customer
    )
    fold.fold_arrivals()
    assert ArrivalSlot.objects.get(team_id=team.pk, day=monday, slot=18).n == 2
    fold.fold_arrivals()
    assert ArrivalSlot.objects.get(team_id=team.pk, day=monday, slot=18).n == 3
    fold.refold()
    assert ArrivalSlot.objects.get(team_id=team.pk, day=monday, slot=18).n == 3


@pytest.mark.django_db
def test_team_forecast_reads_slots_and_leaves_out_incident_days(team, manager):
    cache.clear()
    this_week = date(2026, 11, 30)
    start = this_week - timedelta(weeks=12)
    rows = []
    for d in range(12 * 7):
        day = start + timedelta(days=d)
        if day.weekday() < 5:
            rows.append(ArrivalSlot(day=day, slot=20, team_id=team.pk, channel="phone", n=10))
    ArrivalSlot.objects.bulk_create(rows)
    incident = make_incident(manager, team)
    spike = this_week - timedelta(days=3)  # Friday of last week
    type(incident).objects.filter(pk=incident.pk).update(
        declared_at=datetime.combine(spike, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)
    )
    ArrivalSlot.objects.filter(day=spike).update(n=500)
    figures = team_forecast(team.pk, weeks=8, horizon=12, today=this_week + timedelta(days=2))
    assert (spike, "incident") in figures["excluded_days"]
    phone = figures["channels"]["phone"]
    assert phone["level"] == pytest.approx(50)
    assert phone["forecast"][0][20] == pytest.approx(10)  # Monday 10:00
    assert figures["backtest"]["model_wape"] == pytest.approx(0)
    assert figures["backtest"]["naive_wape"] == pytest.approx(0)
