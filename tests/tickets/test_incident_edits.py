"""Unlinking a ticket from an incident and editing an incident after its declaration: the
services, the incident page, the workspace's incident panel and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from csops.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from csops.roles import Role
from tests.factories import UserFactory, make_ticket
from tickets import selectors_escalations as selectors
from tickets.models import Incident, IncidentLink, TicketEvent
from tickets.models.incidents import IncidentChange
from tickets.services import incidents

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def declare(by, team, **kw):
    kw.setdefault("title", "Login outage")
    kw.setdefault("severity", "sev1")
    kw.setdefault("description", "SSO provider down")
    kw.setdefault("customer_update", "We are investigating a login problem.")
    return incidents.declare(by=by, team=team, **kw)


@pytest.fixture
def other_manager(other_team):
    user = UserFactory(username="mo", role=Role.MANAGER)
    other_team.managers.add(user)
    return user


@pytest.fixture
def linked(manager, team):
    """An open incident of ``team`` with one linked ticket."""
    incident = declare(manager, team)
    ticket = make_ticket(team)
    incidents.link_tickets(incident.pk, by=manager, ticket_ids=[ticket.pk])
    return incident, ticket


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def unlink_api(incident_id, ticket_id) -> str:
    return reverse("tickets-api:incident-unlink", args=[incident_id, ticket_id])


def unlink_page(incident_id, ticket_id) -> str:
    return reverse("tickets:incident-unlink", args=[incident_id, ticket_id])


def error(code: str, detail: str, **fields) -> dict:
    return {"error": code, "detail": detail, "fields": fields}


def state(incident: Incident) -> tuple:
    """What a refused change must leave alone."""
    row = Incident.objects.filter(pk=incident.pk).values().get()
    links = sorted(IncidentLink.objects.filter(incident=incident).values_list("ticket_id"))
    changes = IncidentChange.objects.filter(incident=incident).count()
    return row, links, changes, TicketEvent.objects.count()


# --- Unlink: the service ------------------------------------------------------------------


def test_unlink_removes_the_link_and_keeps_both_in_the_timeline(manager, director, team):
    # given a ticket linked by the manager at 09:01
    with time_machine.travel(T0, tick=False):
        incident = declare(manager, team)
    ticket = make_ticket(team)
    events_before = list(ticket.events.values_list("pk", flat=True))
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        incidents.link_tickets(incident.pk, by=manager, ticket_ids=[ticket.pk])
    # when a director unlinks it at 09:05
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        change = incidents.unlink_ticket(incident.pk, by=director, ticket_id=ticket.pk)
    # then the link is gone, who unlinked it and who had linked it are kept
    assert incident.links.count() == 0
    row = IncidentChange.objects.values("kind", "ticket_id", "by_id", "at", "data").get()
    assert row == {
        "kind": "unlinked",
        "ticket_id": ticket.pk,
        "by_id": director.pk,
        "at": T0 + timedelta(minutes=5),
        "data": {"linked_by": manager.pk, "linked_at": "2026-03-02T09:01:00+00:00"},
    }
    assert change.pk == IncidentChange.objects.get().pk
    # and the timeline shows the link and its undoing, in order
    assert [(i["at"], i["what"], i["who"].username) for i in selectors.timeline(incident)] == [
        (T0, "Declared", "maria"),
        (T0 + timedelta(minutes=1), f"Linked #{ticket.pk}", "maria"),
        (T0 + timedelta(minutes=5), f"Unlinked #{ticket.pk}", "diane"),
    ]
    # and, as linking, it leaves the ticket's own log and version alone
    ticket.refresh_from_db()
    assert list(ticket.events.values_list("pk", flat=True)) == events_before
    assert ticket.version == 1
    assert selectors.incident_summary(incident).linked == 0
    assert list(selectors.ticket_incidents(ticket)) == []


def test_unlinking_a_ticket_that_is_not_linked_is_not_found(manager, team, linked):
    incident, ticket = linked
    incidents.unlink_ticket(incident.pk, by=manager, ticket_id=ticket.pk)
    with pytest.raises(NotFound) as again:
        incidents.unlink_ticket(incident.pk, by=manager, ticket_id=ticket.pk)
    assert again.value.detail == f"Ticket #{ticket.pk} is not linked to incident #{incident.pk}."
    never = make_ticket(team)
    with pytest.raises(NotFound):
        incidents.unlink_ticket(incident.pk, by=manager, ticket_id=never.pk)
    with pytest.raises(NotFound):
        incidents.unlink_ticket(incident.pk, by=manager, ticket_id=999_999)
    assert IncidentChange.objects.count() == 1


def test_unlink_is_refused_on_a_resolved_incident(manager, linked):
    incident, ticket = linked
    incidents.resolve(incident.pk, by=manager)
    before = state(incident)
    with pytest.raises(InvalidTransition) as exc:
        incidents.unlink_ticket(incident.pk, by=manager, ticket_id=ticket.pk)
    assert exc.value.detail == f"Incident #{incident.pk} is resolved."
    assert state(incident) == before


def test_rep_and_other_teams_manager_cannot_unlink(rep, rep_other_team, other_manager, linked):
    incident, ticket = linked
    before = state(incident)
    for user in (rep, rep_other_team):
        with pytest.raises(NotAllowed):
            incidents.unlink_ticket(incident.pk, by=user, ticket_id=ticket.pk)
    with pytest.raises(NotFound):
        incidents.unlink_ticket(incident.pk, by=other_manager, ticket_id=ticket.pk)
    assert state(incident) == before


def test_update_posted_before_the_unlink_still_reaches_the_ticket(manager, linked):
    # an update goes to the tickets linked when it was posted
    incident, ticket = linked
    update = incidents.post_update(incident.pk, by=manager, body="Fix at 11:00.")
    incidents.unlink_ticket(incident.pk, by=manager, ticket_id=ticket.pk)
    assert incidents.deliver_batch(update.pk) == 0
    assert ticket.events.filter(type="public_reply", body="Fix at 11:00.").count() == 1
    later = incidents.post_update(incident.pk, by=manager, body="Fixed.")
    assert (later.total, later.deliveries.count()) == (0, 0)


# --- Unlink: the pages --------------------------------------------------------------------


def test_manager_unlinks_from_the_incident_page(manager_client, linked):
    incident, ticket = linked
    page = manager_client.get(reverse("tickets:incident-detail", args=[incident.pk]))
    assert f'id="unlink-{ticket.pk}"' in page.content.decode()
    assert f'action="{unlink_page(incident.pk, ticket.pk)}"' in page.content.decode()
    response = manager_client.post(unlink_page(incident.pk, ticket.pk))
    assert (response.status_code, response["Location"]) == (
        302,
        f"/tickets/incidents/{incident.pk}/",
    )
    assert incident.links.count() == 0
    html = manager_client.get(response["Location"]).content.decode()
    assert f"Ticket #{ticket.pk} unlinked from incident #{incident.pk}." in html
    assert f"Unlinked #{ticket.pk}" in html
    assert f'id="unlink-{ticket.pk}"' not in html


def test_htmx_unlink_swaps_the_incident_region(manager_client, linked):
    incident, ticket = linked
    response = manager_client.post(unlink_page(incident.pk, ticket.pk), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="incident">')
    assert "No tickets linked yet." in html


def test_unlinking_twice_from_the_page_is_a_404_page(manager_client, linked):
    incident, ticket = linked
    manager_client.post(unlink_page(incident.pk, ticket.pk))
    again = manager_client.post(unlink_page(incident.pk, ticket.pk))
    assert again.status_code == 404
    assert f"Ticket #{ticket.pk} is not linked to incident #{incident.pk}." in (
        again.content.decode()
    )


def test_resolved_incident_page_has_no_unlink_and_refuses_it(manager, manager_client, linked):
    incident, ticket = linked
    incidents.resolve(incident.pk, by=manager)
    page = manager_client.get(reverse("tickets:incident-detail", args=[incident.pk]))
    assert f'id="unlink-{ticket.pk}"' not in page.content.decode()
    response = manager_client.post(unlink_page(incident.pk, ticket.pk))
    assert response.status_code == 422
    assert f"Incident #{incident.pk} is resolved." in response.content.decode()
    assert incident.links.count() == 1


def test_rep_cannot_unlink_from_the_page(client_for, rep, rep_other_team, linked):
    incident, ticket = linked
    before = state(incident)
    for user in (rep, rep_other_team):
        assert client_for(user).post(unlink_page(incident.pk, ticket.pk)).status_code == 403
    assert state(incident) == before


def test_workspace_panel_unlinks_and_returns_to_the_ticket(
    manager_client, client_for, rep, manager, team, linked
):
    incident, ticket = linked
    resolved = declare(manager, team, title="Old outage")
    incidents.link_tickets(resolved.pk, by=manager, ticket_ids=[ticket.pk])
    incidents.resolve(resolved.pk, by=manager)
    workspace = reverse("tickets:ticket-detail", args=[ticket.pk])
    html = manager_client.get(workspace).content.decode()
    # the open incident has an unlink button, the resolved one none
    assert f'id="unlink-incident-{incident.pk}"' in html
    assert f'id="unlink-incident-{resolved.pk}"' not in html
    assert 'name="back" value="ticket"' in html
    # a rep sees the incidents but cannot unlink
    rep_html = client_for(rep).get(workspace).content.decode()
    assert f"#{incident.pk} Login outage" in rep_html
    assert 'id="unlink-incident-' not in rep_html
    # when the manager unlinks from the panel, they are back on the ticket
    response = manager_client.post(unlink_page(incident.pk, ticket.pk), {"back": "ticket"})
    assert (response.status_code, response["Location"]) == (302, workspace)
    html = manager_client.get(workspace).content.decode()
    assert f"Ticket #{ticket.pk} unlinked from incident #{incident.pk}." in html
    assert f'id="unlink-incident-{incident.pk}"' not in html
    assert list(IncidentLink.objects.values_list("incident_id", flat=True)) == [resolved.pk]


def test_workspace_shows_unlink_only_to_the_incidents_handlers(
    client_for, director, other_team, other_manager
):
    # given a director's incident of the other team with one of its tickets
    incident = declare(director, other_team)
    ticket = make_ticket(other_team)
    incidents.link_tickets(incident.pk, by=director, ticket_ids=[ticket.pk])
    stranger = UserFactory(username="mel", role=Role.MANAGER)
    other_team.members.add(stranger)  # works the ticket's queue, manages no team
    html = client_for(stranger).get(reverse("tickets:ticket-detail", args=[ticket.pk]))
    assert f'id="unlink-incident-{incident.pk}"' not in html.content.decode()
    mine = client_for(other_manager).get(reverse("tickets:ticket-detail", args=[ticket.pk]))
    assert f'id="unlink-incident-{incident.pk}"' in mine.content.decode()


# --- Unlink: the API ----------------------------------------------------------------------


def test_api_unlink_returns_the_incident_and_a_second_call_is_404(manager, director, linked):
    incident, ticket = linked
    response = api(director).delete(unlink_api(incident.pk, ticket.pk))
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["tickets"]) == (incident.pk, [])
    again = api(manager).delete(unlink_api(incident.pk, ticket.pk))
    assert (again.status_code, again.json()) == (
        404,
        error("not_found", f"Ticket #{ticket.pk} is not linked to incident #{incident.pk}."),
    )
    change = IncidentChange.objects.get()
    assert (change.kind, change.ticket_id, change.by_id) == ("unlinked", ticket.pk, director.pk)


def test_api_unlink_with_a_malformed_ticket_id_is_404(manager, linked):
    incident, _ = linked
    response = api(manager).delete(f"/api/v1/incidents/{incident.pk}/tickets/abc/")
    assert (response.status_code, response.json()) == (
        404,
        error(
            "not_found",
            f"Ticket #abc does not exist or is not linked to incident #{incident.pk}.",
        ),
    )


def test_api_unlink_on_a_resolved_incident_is_422(manager, linked):
    incident, ticket = linked
    incidents.resolve(incident.pk, by=manager)
    response = api(manager).delete(unlink_api(incident.pk, ticket.pk))
    assert (response.status_code, response.json()) == (
        422,
        error("invalid_transition", f"Incident #{incident.pk} is resolved."),
    )
    assert incident.links.count() == 1


def test_api_unlink_is_refused_to_reps_and_other_teams(rep, rep_other_team, other_manager, linked):
    incident, ticket = linked
    before = state(incident)
    refused = error("not_allowed", "Only managers and directors handle incidents.")
    for user in (rep, rep_other_team):
        response = api(user).delete(unlink_api(incident.pk, ticket.pk))
        assert (response.status_code, response.json()) == (403, refused)
    response = api(other_manager).delete(unlink_api(incident.pk, ticket.pk))
    assert (response.status_code, response.json()) == (
        404,
        error("not_found", f"Incident #{incident.pk} does not exist or is not in your teams."),
    )
    assert state(incident) == before


# --- Edit: the service --------------------------------------------------------------------


def test_edit_changes_the_given_fields_and_keeps_before_and_after(manager, director, team):
    with time_machine.travel(T0, tick=False):
        incident = declare(manager, team, severity="sev3")
    with time_machine.travel(T0 + timedelta(minutes=7), tick=False):
        edited = incidents.edit(incident.pk, by=director, title=" SSO outage ", severity="sev1")
    incident.refresh_from_db()
    assert (incident.title, incident.severity, incident.description) == (
        "SSO outage",
        "sev1",
        "SSO provider down",
    )
    assert edited.title == "SSO outage"
    assert incident.customer_update == "We are investigating a login problem."
    row = IncidentChange.objects.values("kind", "ticket_id", "by_id", "at", "data").get()
    assert row == {
        "kind": "edited",
        "ticket_id": None,
        "by_id": director.pk,
        "at": T0 + timedelta(minutes=7),
        "data": {"title": ["Login outage", "SSO outage"], "severity": ["sev3", "sev1"]},
    }
    last = selectors.timeline(incident)[-1]
    assert (last["at"], last["what"], last["who"], last["text"]) == (
        T0 + timedelta(minutes=7),
        "Edited",
        director,
        "title “Login outage” → “SSO outage”; severity SEV3 — minor → SEV1 — critical",
    )


def test_edit_that_changes_nothing_records_nothing(manager, team):
    incident = declare(manager, team)
    incidents.edit(incident.pk, by=manager, title="Login outage", description="SSO provider down")
    incidents.edit(incident.pk, by=manager)
    assert IncidentChange.objects.count() == 0
    incidents.edit(incident.pk, by=manager, description="IdP certificate expired")
    assert list(IncidentChange.objects.values_list("data", flat=True)) == [
        {"description": ["SSO provider down", "IdP certificate expired"]}
    ]


@pytest.mark.parametrize(
    ("_case", "changes", "fields"),
    [
        ("blank title", {"title": "  "}, {"title": ["This field is required."]}),
        ("blank description", {"description": ""}, {"description": ["This field is required."]}),
        ("unknown severity", {"severity": "sev9"}, {"severity": ["Choose a severity."]}),
        ("long title", {"title": "x" * 201}, {"title": ["At most 200 characters."]}),
        ("not editable", {"team": "2"}, {"team": ["This field cannot be edited."]}),
        (
            "customer text",
            {"customer_update": "Hi"},
            {"customer_update": ["This field cannot be edited."]},
        ),
    ],
)
def test_edit_refuses_invalid_values(_case, changes, fields, manager, team):
    incident = declare(manager, team)
    before = state(incident)
    with pytest.raises(InvalidInput) as exc:
        incidents.edit(incident.pk, by=manager, **changes)
    assert exc.value.fields == fields
    assert state(incident) == before


def test_resolved_incident_is_read_only(manager, team):
    incident = declare(manager, team)
    incidents.resolve(incident.pk, by=manager)
    before = state(incident)
    with pytest.raises(InvalidTransition) as exc:
        incidents.edit(incident.pk, by=manager, title="Reworded")
    assert exc.value.detail == (
        f"Incident #{incident.pk} is resolved: a resolved incident cannot be edited."
    )
    assert state(incident) == before


def test_rep_and_other_teams_manager_cannot_edit(rep, rep_other_team, other_manager, manager, team):
    incident = declare(manager, team)
    before = state(incident)
    for user in (rep, rep_other_team):
        with pytest.raises(NotAllowed):
            incidents.edit(incident.pk, by=user, severity="sev3")
    with pytest.raises(NotFound):
        incidents.edit(incident.pk, by=other_manager, severity="sev3")
    assert state(incident) == before


# --- Edit: the page -----------------------------------------------------------------------


def test_manager_edits_from_the_incident_page(manager_client, manager, team):
    incident = declare(manager, team)
    url = reverse("tickets:incident-edit", args=[incident.pk])
    page = manager_client.get(reverse("tickets:incident-detail", args=[incident.pk]))
    html = page.content.decode()
    assert f'action="{url}"' in html
    assert 'value="Login outage"' in html
    response = manager_client.post(
        url, {"title": "SSO outage", "severity": "sev2", "description": "IdP down"}
    )
    assert (response.status_code, response["Location"]) == (
        302,
        f"/tickets/incidents/{incident.pk}/",
    )
    incident.refresh_from_db()
    assert (incident.title, incident.severity, incident.description) == (
        "SSO outage",
        "sev2",
        "IdP down",
    )
    html = manager_client.get(response["Location"]).content.decode()
    assert f"Incident #{incident.pk} saved." in html
    assert "title “Login outage” → “SSO outage”; severity SEV1 — critical → SEV2 — major" in (html)


def test_invalid_edit_rerenders_the_form_with_422(manager_client, manager, team):
    incident = declare(manager, team)
    before = state(incident)
    response = manager_client.post(
        reverse("tickets:incident-edit", args=[incident.pk]),
        {"title": "", "severity": "sev9", "description": "IdP down"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="edit-title-errors"' in html
    assert 'id="edit-severity-errors"' in html
    assert '<details class="card" open>' in html
    assert state(incident) == before


def test_resolved_incident_page_has_no_edit_form_and_refuses_edits(manager_client, manager, team):
    incident = declare(manager, team)
    incidents.resolve(incident.pk, by=manager)
    page = manager_client.get(reverse("tickets:incident-detail", args=[incident.pk]))
    assert 'id="edit-form"' not in page.content.decode()
    response = manager_client.post(
        reverse("tickets:incident-edit", args=[incident.pk]),
        {"title": "Reworded", "severity": "sev1", "description": "SSO provider down"},
    )
    assert response.status_code == 422
    assert "a resolved incident cannot be edited." in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).title == "Login outage"


def test_rep_cannot_edit_from_the_page(client_for, rep, manager, team):
    incident = declare(manager, team)
    before = state(incident)
    response = client_for(rep).post(
        reverse("tickets:incident-edit", args=[incident.pk]),
        {"title": "Mine now", "severity": "sev3", "description": "x"},
    )
    assert response.status_code == 403
    assert state(incident) == before


# --- Edit: the API ------------------------------------------------------------------------


def test_api_patch_edits_only_the_given_fields(manager, team):
    incident = declare(manager, team)
    url = reverse("tickets-api:incident-detail", args=[incident.pk])
    response = api(manager).patch(url, {"severity": "sev3"}, format="json")
    body = response.json()
    assert response.status_code == 200
    assert (body["id"], body["title"], body["severity"], body["description"]) == (
        incident.pk,
        "Login outage",
        "sev3",
        "SSO provider down",
    )
    assert IncidentChange.objects.get().data == {"severity": ["sev1", "sev3"]}


@pytest.mark.parametrize(
    ("_case", "payload", "fields"),
    [
        ("blank title", {"title": " "}, {"title": ["This field may not be blank."]}),
        ("bad severity", {"severity": "sev9"}, {"severity": ['"sev9" is not a valid choice.']}),
    ],
)
def test_api_patch_with_bad_values_is_400(_case, payload, fields, manager, team):
    incident = declare(manager, team)
    before = state(incident)
    url = reverse("tickets-api:incident-detail", args=[incident.pk])
    response = api(manager).patch(url, payload, format="json")
    assert (response.status_code, response.json()) == (
        400,
        error("invalid", "Invalid input.", **fields),
    )
    assert state(incident) == before


def test_api_patch_on_a_resolved_incident_is_422(manager, team):
    incident = declare(manager, team)
    incidents.resolve(incident.pk, by=manager)
    url = reverse("tickets-api:incident-detail", args=[incident.pk])
    response = api(manager).patch(url, {"title": "Reworded"}, format="json")
    assert (response.status_code, response.json()) == (
        422,
        error(
            "invalid_transition",
            f"Incident #{incident.pk} is resolved: a resolved incident cannot be edited.",
        ),
    )


def test_api_put_is_not_offered(manager, team):
    incident = declare(manager, team)
    url = reverse("tickets-api:incident-detail", args=[incident.pk])
    payload = {"title": "x", "severity": "sev1", "description": "y"}
    assert api(manager).put(url, payload, format="json").status_code == 405


def test_api_patch_is_refused_to_reps_and_other_teams(
    rep, rep_other_team, other_manager, manager, team
):
    incident = declare(manager, team)
    before = state(incident)
    url = reverse("tickets-api:incident-detail", args=[incident.pk])
    for user in (rep, rep_other_team):
        response = api(user).patch(url, {"severity": "sev3"}, format="json")
        assert (response.status_code, response.json()) == (
            403,
            error("not_allowed", "Only managers and directors handle incidents."),
        )
    response = api(other_manager).patch(url, {"severity": "sev3"}, format="json")
    assert response.status_code == 404
    assert state(incident) == before
