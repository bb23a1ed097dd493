"""The public contact form and the portal's sign-in: no enumeration, a honeypot, rate limits
per IP and per address (a 429 page, never a 500), hostile input answered with form errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import CustomerFactory
from tickets.mail.models import OutboundMessage
from tickets.models import Customer, Ticket
from tickets.portal import links

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Robin Web",
    "email": "Robin@Example.org",
    "subject": "Where is my parcel?",
    "message": "It was due yesterday.",
}


def post_contact(client: Client, **overrides) -> object:
    return client.post(reverse("contact"), {**FORM, **overrides})


def test_the_contact_page_opens_without_login(team, client):
    page = client.get(reverse("contact"))
    assert page.status_code == 200
    assert b'name="website"' in page.content  # the honeypot
    assert b"Log out" not in page.content  # no staff navigation


def test_a_new_address_gets_a_customer_a_web_ticket_and_an_acknowledgment(team, client):
    response = post_contact(client)

    assert response.status_code == 200
    assert b"Thank you, we have your request" in response.content
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.description, ticket.channel) == (
        "Where is my parcel?",
        "It was due yesterday.",
        "web",
    )
    assert (ticket.requester.name, ticket.requester.email) == ("Robin Web", "Robin@Example.org")
    assert ticket.team == team
    assert OutboundMessage.objects.get(ticket=ticket).kind == "ack"


def test_a_known_address_matches_its_customer_case_insensitively_with_the_same_answer(team, client):
    casey = CustomerFactory(name="Casey Jones", email="casey@example.org")
    unknown = post_contact(client, email="new@example.org")
    known = post_contact(client, email="CASEY@EXAMPLE.ORG", name="Someone Else")

    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert Ticket.objects.filter(requester=casey).count() == 1
    assert Customer.objects.filter(email__iexact="casey@example.org").count() == 1
    casey.refresh_from_db()
    assert casey.name == "Casey Jones"  # a stranger's form does not rename a customer


def test_a_filled_honeypot_answers_the_same_and_records_nothing(team, client):
    human = post_contact(client, email="human@example.org")
    bot = post_contact(client, email="bot@example.org", website="http://spam.example")
    assert bot.status_code == 200
    assert bot.content == human.content
    assert not Customer.objects.filter(email="bot@example.org").exists()
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("_case", "overrides", "field", "error"),
    [
        ("no email", {"email": ""}, "email", "This field is required."),
        ("bad email", {"email": "not-an-address"}, "email", "Enter a valid email address."),
        (
            "huge subject",
            {"subject": "x" * 5000},
            "subject",
            "Ensure this value has at most 200 characters (it has 5000).",
        ),
        (
            "huge message",
            {"message": "y" * 20_001},
            "message",
            "Ensure this value has at most 20000 characters (it has 20001).",
        ),
        (
            "huge name",
            {"name": "n" * 500},
            "name",
            "Ensure this value has at most 120 characters (it has 500).",
        ),
        ("blank message", {"message": "   "}, "message", "This field is required."),
        (
            "unknown category",
            {"category": "999999"},
            "category",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        ("nul byte", {"subject": "a\x00b"}, "subject", "Null characters are not allowed."),
    ],
)
def test_bad_input_is_a_form_error_and_records_nothing(
    team, client, _case, overrides, field, error
):
    response = post_contact(client, **overrides)
    assert response.status_code == 422
    assert response.context["form"].errors[field] == [error]
    assert Ticket.objects.count() == 0


def test_markup_in_fields_is_shown_as_text_never_run(team, client, rep):
    xss = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post_contact(client, name=xss, subject=f"Help {xss}", message=f"Body {xss}")
    ticket = Ticket.objects.get()
    portal = Client()
    portal.get(reverse("portal:link", kwargs={"token": links.make_token(FORM["email"])}))

    for page in (
        portal.get(reverse("portal:request", kwargs={"pk": ticket.pk})).content.decode(),
        portal.get(reverse("portal:home")).content.decode(),
    ):
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page
    form_echo = post_contact(client, email="bad", subject=xss).content.decode()
    assert "<script>alert" not in form_echo


def test_without_a_team_the_form_says_so_and_records_nothing(client, db):
    response = post_contact(client)
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        "Support is not set up to take requests yet. Please try again later."
    ]
    assert Customer.objects.count() == 0


def test_the_contact_form_is_rate_limited_per_ip_with_a_429_page(team, settings):
    settings.CONTACT_RATE_PER_IP = "3/h"
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [post_contact(client, email=f"p{i}@example.org").status_code for i in range(4)]
    other_ip = post_contact(Client(REMOTE_ADDR="203.0.113.8"), email="q@example.org")

    assert answers == [200, 200, 200, 429]
    assert other_ip.status_code == 200
    assert Ticket.objects.count() == 4
    refused = post_contact(client, email="r@example.org")
    assert b"Too many requests" in refused.content


def test_the_contact_form_is_rate_limited_per_address(team, settings):
    settings.CONTACT_RATE_PER_EMAIL = "2/h"
    answers = [
        post_contact(Client(REMOTE_ADDR=f"198.51.100.{i}"), email="SAME@example.org").status_code
        for i in range(3)
    ]
    assert answers == [200, 200, 429]
    assert Ticket.objects.count() == 2


# --- Portal sign-in -------------------------------------------------------------------------


def test_asking_for_a_link_answers_the_same_for_known_and_unknown_addresses(team, client):
    CustomerFactory(email="casey@example.org")
    known = client.post(reverse("portal:sign-in"), {"email": "casey@example.org"})
    unknown = client.post(reverse("portal:sign-in"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 200
    assert known.content.replace(b"casey@example.org", b"X") == unknown.content.replace(
        b"nobody@example.org", b"X"
    )
    assert [m.to for m in mail.outbox] == [["casey@example.org"]]
    sent = mail.outbox[0]
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    token = sent.body.split("/portal/link/")[1].split("/")[0]
    assert links.read_token(token) == ("casey@example.org", None)


def test_the_emailed_link_signs_in_and_an_expired_one_is_refused(team, settings):
    settings.PORTAL_LINK_MAX_AGE_SECONDS = 900
    CustomerFactory(email="casey@example.org")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        Client().post(reverse("portal:sign-in"), {"email": "Casey@example.org"})
    link = mail.outbox[0].body.split("http://127.0.0.1:8000", 1)[1].split()[0]

    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        expired = Client().get(link)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        fresh = Client().get(link, follow=True)

    assert expired.status_code == 410
    assert b"This link has expired" in expired.content
    assert fresh.status_code == 200
    assert b"Signed in as casey@example.org" in fresh.content


@pytest.mark.parametrize(
    "token", ["forged:token", "x" * 3000, "%00", "eyJlIjoiYUBiLmMifQ:1abc:bad"]
)
def test_a_tampered_link_is_a_400_page_not_an_error(client, db, token):
    response = client.get(reverse("portal:link", kwargs={"token": token}))
    assert response.status_code == 400
    assert b"This link is not valid" in response.content


def test_asking_for_links_is_rate_limited_per_address_and_per_ip(team, settings):
    settings.PORTAL_LINK_RATE_PER_EMAIL = "2/h"
    settings.PORTAL_LINK_RATE_PER_IP = "4/h"
    CustomerFactory(email="casey@example.org")
    per_address = [
        Client(REMOTE_ADDR=f"192.0.2.{i}").post(
            reverse("portal:sign-in"), {"email": "casey@example.org"}
        )
        for i in range(3)
    ]
    one_ip = Client(REMOTE_ADDR="192.0.2.200")
    per_ip = [
        one_ip.post(reverse("portal:sign-in"), {"email": f"u{i}@example.org"}).status_code
        for i in range(5)
    ]

    assert [r.status_code for r in per_address] == [200, 200, 429]
    assert len(mail.outbox) == 2
    assert per_ip == [200, 200, 200, 200, 429]
