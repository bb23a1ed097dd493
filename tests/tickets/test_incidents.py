"""Incident services: declare, link, post an update (delivered once per ticket), resolve."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from csops.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from csops.models import Job
from csops.roles import Role
from tests.factories import TeamFactory, UserFactory, make_incident, make_ticket
from tickets import selectors_escalations as selectors
from tickets import services
from tickets.models import IncidentDelivery, IncidentUpdate
from tickets.services import incidents

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def declare(by, team, **kw):
    kw.setdefault("title", "Login outage")
    kw.setdefault("severity", "sev1")
    kw.setdefault("description", "SSO provider down")
    kw.setdefault("customer_update", "We are investigating a login problem.")
    return incidents.declare(by=by, team=team, **kw)


def test_manager_declares_for_own_team_only(manager, team, other_team):
    incident = declare(manager, team)
    assert (incident.state, incident.team_id, incident.declared_by_id) == (
        "open",
        team.pk,
        manager.pk,
    )
    with pytest.raises(NotAllowed):
        declare(manager, other_team)


def test_rep_cannot_declare_or_link(rep, manager, team):
    with pytest.raises(NotAllowed):
        declare(rep, team)
    incident = declare(manager, team)
    with pytest.raises(NotAllowed):
        incidents.link_tickets(incident.pk, by=rep, ticket_ids=[make_ticket(team).pk])


def test_declare_requires_fields(manager, team):
    with pytest.raises(InvalidInput) as exc:
        declare(manager, team, title=" ", customer_update="")
    assert exc.value.fields == {
        "title": ["This field is required."],
        "customer_update": ["This field is required."],
    }


def test_link_is_idempotent_and_scoped(manager, team, other_team):
    incident = declare(manager, team)
    mine = [make_ticket(team).pk for _ in range(2)]
    foreign = make_ticket(other_team)
    assert incidents.link_tickets(incident.pk, by=manager, ticket_ids=mine) == 2
    assert incidents.link_tickets(incident.pk, by=manager, ticket_ids=mine) == 0
    with pytest.raises(InvalidInput) as exc:
        incidents.link_tickets(incident.pk, by=manager, ticket_ids=[mine[0], foreign.pk])
    assert exc.value.detail == (f"Ticket(s) #{foreign.pk} do not exist or are not in your teams.")
    assert incident.links.count() == 2


def test_other_teams_manager_cannot_see_the_incident(manager, team):
    incident = declare(manager, team)
    stranger = UserFactory(username="mo", role=Role.MANAGER)
    TeamFactory(name="Sales", slug="sales").managers.add(stranger)
    with pytest.raises(NotFound):
        incidents.post_update(incident.pk, by=stranger, body="Hi")


def test_update_is_delivered_once_to_each_linked_ticket(manager, rep, team):
    # given an incident with three linked tickets: new, open, and closed
    with time_machine.travel(T0, tick=False):
        incident = declare(manager, team)
        new, opened, closed = (make_ticket(team) for _ in range(3))
        services.reply(opened.pk, by=rep, body="Looking")
        services.update_ticket(closed.pk, by=rep, expected_version=None, status="closed")
        incidents.link_tickets(incident.pk, by=manager, ticket_ids=[new.pk, opened.pk, closed.pk])
    # when the manager posts an update 10 minutes later (its delivery job is queued with it)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        update = incidents.post_update(incident.pk, by=manager, body="Fixed by 11:00.")
        job = Job.objects.get(key=f"incident-update:{update.pk}")
        assert job.state == Job.State.PENDING
        # and the delivery runs, then runs again (a retry)
        assert incidents.deliver_batch(update.pk) == 0
        assert incidents.deliver_batch(update.pk) == 0
    # then each open ticket got exactly one public reply by the manager; the closed one none
    update.refresh_from_db()
    assert (update.total, update.done) == (3, 3)
    assert update.finished_at is not None
    states = dict(IncidentDelivery.objects.values_list("ticket_id", "state"))
    assert states == {new.pk: "delivered", opened.pk: "delivered", closed.pk: "skipped"}
    for ticket in (new, opened):
        replies = ticket.events.filter(type="public_reply", body="Fixed by 11:00.")
        assert list(replies.values_list("actor_id", "actor_role")) == [(manager.pk, "agent")]
    new.refresh_from_db()
    assert new.status == "open"  # new -> open before the agent's message (§2)
    assert closed.events.filter(body="Fixed by 11:00.").count() == 0
    summary = selectors.incident_summary(incident)
    assert (summary.linked, summary.updates, summary.first_update_minutes) == (3, 1, 10.0)


def test_ticket_linked_after_posting_is_not_retroactively_updated(manager, team):
    incident = declare(manager, team)
    first = make_ticket(team)
    incidents.link_tickets(incident.pk, by=manager, ticket_ids=[first.pk])
    update = incidents.post_update(incident.pk, by=manager, body="Update one")
    late = make_ticket(team)
    incidents.link_tickets(incident.pk, by=manager, ticket_ids=[late.pk])
    incidents.deliver_batch(update.pk)
    assert list(update.deliveries.values_list("ticket_id", flat=True)) == [first.pk]


def test_batches_report_what_remains(manager, team):
    incident = declare(manager, team)
    ids = [make_ticket(team).pk for _ in range(3)]
    incidents.link_tickets(incident.pk, by=manager, ticket_ids=ids)
    update = incidents.post_update(incident.pk, by=manager, body="Working on it")
    assert incidents.deliver_batch(update.pk, limit=2) == 1
    assert IncidentUpdate.objects.get(pk=update.pk).done == 2
    assert incidents.deliver_batch(update.pk, limit=2) == 0


def test_resolve_with_solving_linked_tickets(manager, rep, team):
    incident = declare(manager, team)
    a, b = make_ticket(team), make_ticket(team)
    incidents.link_tickets(incident.pk, by=manager, ticket_ids=[a.pk, b.pk])
    with pytest.raises(InvalidInput):
        incidents.resolve(incident.pk, by=manager, solve_tickets=True, closing_message=" ")
    incident = incidents.resolve(
        incident.pk, by=manager, solve_tickets=True, closing_message="All fixed, sorry!"
    )
    update = incident.updates.get()
    assert (update.kind, update.total) == ("resolution", 2)
    incidents.deliver_batch(update.pk)
    for ticket in (a, b):
        ticket.refresh_from_db()
        assert ticket.status == "solved"
        assert list(ticket.events.order_by("pk").values_list("type", flat=True))[-3:] == [
            "status_changed",
            "public_reply",
            "status_changed",
        ]
    assert incident.state == "resolved"
    with pytest.raises(InvalidTransition):
        incidents.post_update(incident.pk, by=manager, body="late")


def test_resolve_without_solving_leaves_tickets(manager, team):
    incident = declare(manager, team)
    ticket = make_ticket(team)
    incidents.link_tickets(incident.pk, by=manager, ticket_ids=[ticket.pk])
    incidents.resolve(incident.pk, by=manager)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.version) == ("new", 1)


def test_the_resolve_form_starts_empty_and_names_its_recipients(manager, manager_client, team):
    incident = make_incident(manager, team, [make_ticket(team).pk for _ in range(3)])
    incidents.post_update(incident.pk, by=manager, body="A fix ships later today.")
    page = manager_client.get(f"/tickets/incidents/{incident.pk}/").content.decode()
    form = page[page.index('id="resolve-form"') :]
    form = form[: form.index("</form>")]
    assert "A fix ships later today." not in form
    assert "Payments fail." not in form
    assert "requesters of <strong>3</strong> linked tickets" in form
