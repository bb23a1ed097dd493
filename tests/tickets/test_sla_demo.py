from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from policies.models import SlaPolicy, SlaPolicyVersion
from tests.factories import make_ticket
from tickets.seeding.sla_demo import SlaChooser, ensure_demo_sla

pytestmark = pytest.mark.django_db


def test_demo_sla_is_created_once_and_applies_to_new_tickets(director, team, time_machine):
    # Tuesday 2026-11-24 06:00Z is 01:00 in New York, before the 08:00 opening.
    time_machine.move_to("2026-11-24 06:00:00+00:00", tick=False)
    assert ensure_demo_sla(director, since=timezone.now()) is True
    assert ensure_demo_sla(director, since=timezone.now()) is False
    assert SlaPolicy.objects.count() == 2
    ticket = make_ticket(team, priority="high")
    ticket.refresh_from_db()
    # first reply for high: 120 business minutes from 08:00 New York (13:00Z)
    assert ticket.next_sla_due_at.isoformat() == "2026-11-24T15:00:00+00:00"


def test_demo_sla_is_in_force_from_the_start_of_the_seeded_history(director):
    # given the demo SLA put in force since a day in the past
    since = datetime(2026, 5, 1, 12, tzinfo=UTC)
    ensure_demo_sla(director, since=since)
    chooser = SlaChooser({})
    t = int(since.timestamp())

    # when tickets created after (and before) that day choose their versions
    def chosen(at: int, channel: str):
        version, calendar = chooser.choose(
            at, team=1, channel=channel, priority="high", requester=7, category=None
        )
        return (
            SlaPolicyVersion.objects.get(pk=version).policy.name if version else None,
            calendar is not None,
        )

    # then chat tickets follow "Live chat", the others "Standard support", both counted in
    # the calendar's version of that day; nothing applies before it
    assert set(SlaPolicyVersion.objects.values_list("effective_from", flat=True)) == {since}
    assert chosen(t + 60, "chat") == ("Live chat", True)
    assert chosen(t + 60, "email") == ("Standard support", True)
    assert chosen(t - 60, "email") == (None, False)
