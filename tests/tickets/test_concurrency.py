"""Real concurrent connections against PostgreSQL: claims serialise on the row lock."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from csops.errors import Conflict
from tests.factories import UserFactory, make_ticket
from tickets import services
from tickets.models import Ticket, TicketEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_claims_give_exactly_one_assignee(team):
    reps = [UserFactory(username=f"racer{i}", role="Rep") for i in range(20)]
    team.members.add(*reps)
    ticket = make_ticket(team)
    barrier = threading.Barrier(len(reps))
    results: dict[str, str] = {}

    def attempt(user) -> None:
        try:
            barrier.wait()
            services.claim(ticket.pk, by=user)
            results[user.username] = "won"
        except Conflict as exc:
            results[user.username] = exc.detail
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in reps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    ticket.refresh_from_db()
    winners = [name for name, outcome in results.items() if outcome == "won"]
    assert len(results) == 20
    assert winners == [ticket.assignee.username]
    losers = {outcome for name, outcome in results.items() if name not in winners}
    assert losers == {
        f"Ticket #{ticket.pk} is already claimed by {ticket.assignee.get_full_name()}."
    }
    assert TicketEvent.objects.filter(ticket=ticket, type="assigned").count() == 1
    assert Ticket.objects.get(pk=ticket.pk).version == 2
