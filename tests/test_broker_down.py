"""With the broker unreachable, a committed write still answers success (its background work
is a job row, or the KPI sweeper's business), and nothing answers a 500."""

from __future__ import annotations

import pytest

from csops.models import Job
from kpis.models import RebuildJob
from tests.factories import make_incident, make_ticket
from tests.integration.faults import free_port, publishing_to
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down():
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        yield


def test_writes_answer_success_and_keep_their_work(
    broker_down, team, rep, manager, manager_client, director_client
):
    ticket = make_ticket(team)
    incident = make_incident(manager, team, [ticket.pk])

    reply = manager_client.post(
        f"/tickets/{ticket.pk}/reply/",
        {"body": "On it.", "kind": "public", "version": ticket.version},
        HTTP_HX_REQUEST="true",
    )
    assert reply.status_code == 200
    assert TicketEvent.objects.filter(ticket=ticket, body="On it.").exists()

    update = manager_client.post(
        f"/api/v1/incidents/{incident.pk}/updates/",
        {"body": "Fixed."},
        content_type="application/json",
    )
    assert update.status_code == 202
    assert update.json()["body"] == "Fixed."
    assert Job.objects.filter(kind="tickets.deliver_incident_update", state="pending").exists()

    rebuild = director_client.post("/kpis/rebuild/", HTTP_HX_REQUEST="true")
    assert rebuild.status_code == 200
    assert RebuildJob.objects.filter(state=RebuildJob.State.QUEUED).count() == 1
