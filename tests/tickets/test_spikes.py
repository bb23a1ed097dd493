"""Spike detection with hand-worked counts (rule in tickets/services/spikes.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from policies.models import Category, Tag
from tests.factories import make_ticket
from tickets.models import SpikeAlert
from tickets.services import spikes
from tickets.tasks_incidents import detect_ticket_spikes

pytestmark = pytest.mark.django_db

HOUR = datetime(2026, 3, 30, 14, 0, tzinfo=UTC)  # a Monday


def _tickets(team, at: datetime, n: int, category=None, tags=()) -> list[int]:
    ids = []
    for i in range(n):
        with time_machine.travel(at + timedelta(minutes=i), tick=False):
            ids.append(make_ticket(team, category=category, tags=tags).pk)
    return ids


def test_spike_against_same_hour_of_previous_four_weeks(team):
    login = Category.objects.create(name="Login", slug="login")
    billing = Category.objects.create(name="Billing", slug="billing")
    shipping = Category.objects.create(name="Shipping", slug="shipping")
    sso = Tag.objects.create(name="sso")
    # Login: previous weeks 1, 2, 0, 1 -> baseline 1.0; this hour 6 (5 tagged sso) -> spike
    for weeks, n in ((1, 1), (2, 2), (3, 0), (4, 1)):
        _tickets(team, HOUR - timedelta(weeks=weeks), n, login)
    login_ids = _tickets(team, HOUR, 5, login, tags=[sso]) + _tickets(
        team, HOUR + timedelta(minutes=30), 1, login
    )
    # Billing: previous weeks 3, 3, 2, 4 -> baseline 3.0; this hour 8 < 3 x 3.0 -> no spike
    for weeks, n in ((1, 3), (2, 3), (3, 2), (4, 4)):
        _tickets(team, HOUR - timedelta(weeks=weeks), n, billing)
    _tickets(team, HOUR, 8, billing)
    # Shipping: no history; this hour 4 < the minimum of 5 -> no spike
    _tickets(team, HOUR, 4, shipping)
    # Just outside the hour: 13:59:59 and 15:00:00 do not count
    _tickets(team, HOUR - timedelta(seconds=1), 1, login)
    _tickets(team, HOUR + timedelta(hours=1), 1, login)

    # when the hourly task runs at 15:05 (it checks 14:00-15:00), twice
    with time_machine.travel(HOUR + timedelta(hours=1, minutes=5), tick=False):
        assert detect_ticket_spikes() == 2
        assert detect_ticket_spikes() == 0

    rows = SpikeAlert.objects.order_by("dimension").values_list(
        "dimension", "key_name", "hour", "count", "baseline"
    )
    assert list(rows) == [
        ("category", "Login", HOUR, 6, 1.0),
        ("tag", "sso", HOUR, 5, 0.0),
    ]
    assert SpikeAlert.objects.get(dimension="category").ticket_ids == sorted(login_ids)


def test_exactly_three_times_the_baseline_is_a_spike_and_just_below_is_not(team):
    at_limit = Category.objects.create(name="Refunds", slug="refunds")
    below = Category.objects.create(name="Returns", slug="returns")
    # Refunds: previous weeks 2, 2, 2, 2 -> baseline 2.0; this hour 6 = 3 x 2.0 -> spike
    # Returns: previous weeks 2, 2, 2, 3 -> baseline 2.25; this hour 6 < 6.75 -> no spike
    for weeks, n in ((1, 2), (2, 2), (3, 2), (4, 2)):
        _tickets(team, HOUR - timedelta(weeks=weeks), n, at_limit)
    for weeks, n in ((1, 2), (2, 2), (3, 2), (4, 3)):
        _tickets(team, HOUR - timedelta(weeks=weeks), n, below)
    _tickets(team, HOUR, 6, at_limit)
    _tickets(team, HOUR, 6, below)
    alerts = spikes.detect_spikes(HOUR + timedelta(minutes=20))  # any instant in the hour
    assert [(a.key_name, a.hour, a.count, a.baseline) for a in alerts] == [
        ("Refunds", HOUR, 6, 2.0)
    ]
