"""The portal with a customer session (opened by a magic link): a customer sees and answers
only their own requests; another customer's request is a 404 on every portal URL."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from csops.roles import Role
from tests.factories import CustomerFactory, UserFactory, make_ticket
from tickets import services
from tickets.models import Status, Ticket, TicketEvent
from tickets.models.events import ActorRole, EventType
from tickets.portal import links

pytestmark = pytest.mark.django_db


@pytest.fixture
def casey():
    return CustomerFactory(name="Casey Jones", email="casey@example.org")


@pytest.fixture
def bo():
    return CustomerFactory(name="Bo Other", email="bo@example.org")


def portal_client(email: str) -> Client:
    client = Client()
    response = client.get(reverse("portal:link", kwargs={"token": links.make_token(email)}))
    assert response.status_code == 302
    return client


def test_a_link_opens_a_session_for_its_address_only(team, casey, bo):
    mine = make_ticket(team, requester=casey, subject="Mine")
    theirs = make_ticket(team, requester=bo, subject="Theirs")
    client = portal_client("CASEY@example.org")

    home = client.get(reverse("portal:home"))

    assert home.status_code == 200
    assert f"#{mine.pk} Mine".encode() in home.content
    assert b"Theirs" not in home.content
    assert client.get(reverse("portal:request", kwargs={"pk": mine.pk})).status_code == 200
    assert client.get(reverse("portal:request", kwargs={"pk": theirs.pk})).status_code == 404


def test_another_customers_request_is_404_on_every_portal_url(team, casey, bo):
    theirs = make_ticket(team, requester=bo)
    client = portal_client(casey.email)
    before = TicketEvent.objects.filter(ticket=theirs).count()

    read = client.get(reverse("portal:request", kwargs={"pk": theirs.pk}))
    write = client.post(
        reverse("portal:request-reply", kwargs={"pk": theirs.pk}), {"body": "hijack"}
    )

    assert (read.status_code, write.status_code) == (404, 404)
    assert TicketEvent.objects.filter(ticket=theirs).count() == before


def test_a_link_pointing_at_another_customers_request_opens_only_the_own_list(team, casey, bo):
    theirs = make_ticket(team, requester=bo)
    client = Client()
    token = links.make_token(casey.email, ticket_id=theirs.pk)
    response = client.get(reverse("portal:link", kwargs={"token": token}))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_the_conversation_shows_public_messages_never_internal_notes(team, casey, rep):
    ticket = make_ticket(team, requester=casey, description="My printer is on fire.")
    services.reply(ticket.pk, by=rep, body="Please unplug it.")
    services.reply(ticket.pk, by=rep, body="SECRET: customer is difficult", public=False)
    client = portal_client(casey.email)

    page = client.get(reverse("portal:request", kwargs={"pk": ticket.pk})).content.decode()

    assert "My printer is on fire." in page
    assert "Please unplug it." in page
    assert "SECRET" not in page
    assert rep.username not in page


def test_the_conversation_names_agents_by_their_full_name_never_their_username(team, casey):
    rita = UserFactory(username="rita.r", first_name="Rita", last_name="Reyes", role=Role.REP)
    nameless = UserFactory(username="agent7", first_name="", last_name="", role=Role.REP)
    team.members.add(rita, nameless)
    ticket = make_ticket(team, requester=casey)
    services.reply(ticket.pk, by=rita, body="Please unplug it.")
    services.reply(ticket.pk, by=nameless, body="Is it off now?")
    client = portal_client(casey.email)

    page = client.get(reverse("portal:request", kwargs={"pk": ticket.pk})).content.decode()

    assert "<span>Rita Reyes (Support)</span>" in page
    assert "<span>Support team (Support)</span>" in page
    assert "rita.r" not in page
    assert "agent7" not in page


def test_a_portal_reply_is_a_customer_public_reply_with_channel_portal(team, casey, rep):
    ticket = make_ticket(team, requester=casey)
    services.reply(ticket.pk, by=rep, body="Did that help?", new_status=Status.PENDING)
    client = portal_client(casey.email)

    response = client.post(
        reverse("portal:request-reply", kwargs={"pk": ticket.pk}), {"body": "Not yet."}
    )

    assert response.status_code == 302
    event = TicketEvent.objects.filter(ticket=ticket).order_by("-pk")
    reply = event.filter(type=EventType.PUBLIC_REPLY).first()
    assert (reply.actor_role, reply.customer_id, reply.body) == (
        ActorRole.CUSTOMER,
        casey.pk,
        "Not yet.",
    )
    assert reply.data == {"channel": "portal"}
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN  # a customer answer reopens a pending request


def test_a_new_request_from_the_portal_has_channel_portal_and_is_acknowledged(team, casey):
    client = portal_client(casey.email)
    response = client.post(
        reverse("portal:request-new"), {"subject": "Second thing", "message": "Details"}
    )
    ticket = Ticket.objects.get(subject="Second thing")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:request", kwargs={"pk": ticket.pk})
    assert (ticket.requester_id, ticket.channel) == (casey.pk, "portal")
    assert ticket.outbox.get().kind == "ack"


def test_signing_out_ends_the_portal_session(team, casey):
    ticket = make_ticket(team, requester=casey)
    client = portal_client(casey.email)
    assert client.post(reverse("portal:sign-out")).status_code == 302
    response = client.get(reverse("portal:request", kwargs={"pk": ticket.pk}))
    assert (response.status_code, response["Location"]) == (302, reverse("portal:home"))


def test_a_staff_sign_in_does_not_open_the_portal(team, casey):
    ticket = make_ticket(team, requester=casey)
    client = Client()
    client.force_login(UserFactory(email="casey@example.org"))
    response = client.get(reverse("portal:request", kwargs={"pk": ticket.pk}))
    assert response.status_code == 302


def test_a_solved_request_links_its_satisfaction_survey(team, rep):
    from tests.tickets.survey_helpers import invite

    invitation = invite(team, rep, email="casey@example.org")
    client = portal_client("casey@example.org")
    url = reverse("portal:request", kwargs={"pk": invitation.ticket_id})

    page = client.get(url).content.decode()

    link = re.search(r'id="portal-survey">[^<]*<a href="([^"]+)"', page).group(1)
    assert link.startswith("http://127.0.0.1:8000/survey/")
    survey = Client().get(link.removeprefix("http://127.0.0.1:8000"))
    assert survey.status_code == 200
    assert b"How did we do?" in survey.content
    # answering from the portal's link records the answer
    answer = Client().post(link.removeprefix("http://127.0.0.1:8000"), {"rating": 5})
    assert answer.status_code == 200
    assert invitation.responses.get().rating == 5


def test_an_unsolved_request_shows_no_survey(team, casey):
    ticket = make_ticket(team, requester=casey)
    page = portal_client(casey.email).get(reverse("portal:request", kwargs={"pk": ticket.pk}))
    assert b"portal-survey" not in page.content


def test_portal_answers_are_rate_limited_per_address_with_a_429_page(team, casey, settings):
    settings.PORTAL_REPLY_RATE_PER_EMAIL = "2/h"
    ticket = make_ticket(team, requester=casey)
    client = portal_client(casey.email)
    url = reverse("portal:request-reply", kwargs={"pk": ticket.pk})

    answers = [client.post(url, {"body": f"Answer {n}"}) for n in range(3)]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert b"Too many requests" in answers[2].content
    assert ticket.events.filter(type=EventType.PUBLIC_REPLY).count() == 2
