from __future__ import annotations

import pytest

from policies.models import SlaPolicy
from tests.factories import make_ticket
from tickets.seeding.sla_demo import ensure_demo_sla

pytestmark = pytest.mark.django_db


def test_demo_sla_is_created_once_and_applies_to_new_tickets(director, team, time_machine):
    # Tuesday 2026-11-24 06:00Z is 01:00 in New York, before the 08:00 opening.
    time_machine.move_to("2026-11-24 06:00:00+00:00", tick=False)
    assert ensure_demo_sla(director) is True
    assert ensure_demo_sla(director) is False
    assert SlaPolicy.objects.count() == 1
    ticket = make_ticket(team, priority="high")
    ticket.refresh_from_db()
    # first reply for high: 120 business minutes from 08:00 New York (13:00Z)
    assert ticket.next_sla_due_at.isoformat() == "2026-11-24T15:00:00+00:00"
