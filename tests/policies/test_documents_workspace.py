"""Procedures in the ticket workspace: the checklist, ticks as events, versions in force."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from csops.errors import InvalidInput, NotFound
from policies.models import Tag
from policies.services import documents as services
from tests.factories import make_ticket
from tests.policies.documents_helpers import category, publish, published
from tickets import services as ticket_services
from tickets.models import TicketEvent, TicketPolicyRecord
from tickets.services import procedures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=True):
        yield


@pytest.fixture
def refunds(manager, director):
    return published(manager, director, categories=[category("Refunds")])


def test_workspace_shows_the_procedure_for_the_category_with_its_checklist(
    rep_client, team, refunds
):
    ticket = make_ticket(team, category=category("Refunds"))
    html = rep_client.get(reverse("tickets:ticket-detail", args=[ticket.pk])).content.decode()
    assert 'id="procedures"' in html
    assert "Refund procedure" in html
    assert "v1 · 0/2" in html
    assert "☐ Verify the order" in html
    assert "☐ Check the refund window" in html


def test_workspace_shows_tag_procedures_and_nothing_for_other_tickets(
    rep_client, team, manager, director
):
    tag = Tag.objects.create(name="vip")
    published(manager, director, title="VIP protocol", tags=[tag], checklist=["Call back"])
    ticket = make_ticket(team, tags=[tag])
    assert (
        "VIP protocol"
        in rep_client.get(reverse("tickets:ticket-detail", args=[ticket.pk])).content.decode()
    )
    plain = make_ticket(team)
    assert (
        'id="procedures"'
        not in rep_client.get(reverse("tickets:ticket-detail", args=[plain.pk])).content.decode()
    )


def test_ticking_a_step_is_a_ticket_event(rep_client, rep, team, refunds):
    ticket = make_ticket(team, category=category("Refunds"))
    url = reverse("tickets:ticket-checklist-tick", args=[ticket.pk])
    response = rep_client.post(
        url, {"version": refunds.pk, "step": 1, "checked": "on"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "☑ Check the refund window" in response.content.decode()
    assert "1/2" in response.content.decode()
    rep_client.post(url, {"version": refunds.pk, "step": 1})  # untick
    events = TicketEvent.objects.filter(ticket=ticket, type="checklist_ticked").order_by("pk")
    assert [(e.actor_id, e.data) for e in events] == [
        (
            rep.pk,
            {"version": refunds.pk, "step": 1, "text": "Check the refund window", "checked": True},
        ),
        (
            rep.pk,
            {"version": refunds.pk, "step": 1, "text": "Check the refund window", "checked": False},
        ),
    ]


def test_ticking_a_procedure_not_in_force_or_a_missing_step_is_refused(rep, team, refunds):
    ticket = make_ticket(team)
    with pytest.raises(NotFound, match="not in force"):
        procedures.tick_step(ticket.pk, by=rep, version_id=refunds.pk, step=0, checked=True)
    ticket = make_ticket(team, category=category("Refunds"))
    with pytest.raises(InvalidInput, match="No such step.") as exc:
        procedures.tick_step(ticket.pk, by=rep, version_id=refunds.pk, step=5, checked=True)
    assert exc.value.fields == {"step": ["No such step."]}
    assert not TicketEvent.objects.filter(type="checklist_ticked").exists()


def test_rep_of_another_team_cannot_tick(client_for, rep_other_team, team, refunds):
    ticket = make_ticket(team, category=category("Refunds"))
    url = reverse("tickets:ticket-checklist-tick", args=[ticket.pk])
    response = client_for(rep_other_team).post(
        url, {"version": refunds.pk, "step": 0, "checked": "on"}
    )
    assert response.status_code == 404
    assert not TicketEvent.objects.filter(type="checklist_ticked").exists()


def test_ticket_records_versions_in_force_at_creation_and_solve(
    rep, team, manager, director, refunds
):
    ticket = make_ticket(team, category=category("Refunds"))
    v2 = services.start_draft(refunds.document_id, by=manager)
    publish(v2, author=manager, approver=director)
    ticket_services.reply(ticket.pk, by=rep, body="Done", new_status="solved")
    records = TicketPolicyRecord.objects.filter(ticket=ticket).order_by("pk")
    assert [(r.moment, r.version_id) for r in records] == [
        ("created", refunds.pk),
        ("solved", v2.pk),
    ]


def test_ticket_without_governing_policy_records_nothing(team, refunds):
    ticket = make_ticket(team)
    assert not TicketPolicyRecord.objects.filter(ticket=ticket).exists()
