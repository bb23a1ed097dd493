"""Following an open public incident from the contact form (tickets/followers): a signed,
expiring confirmation link, updates and the resolution mailed through the outbox to a real
SMTP server with an unsubscribe link, no enumeration, hostile input, rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csops.jobs import runner
from tests.factories import make_incident
from tests.tickets.smtp_peer import smtp_server
from tickets.followers import links
from tickets.followers.models import IncidentFollower
from tickets.mail.models import MessageKind, OutboundMessage, OutboxState
from tickets.services import incidents

pytestmark = pytest.mark.django_db

ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture
def incident(manager, team):
    return make_incident(manager, team, public=True, customer_update="Card payments fail.")


def _smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


def _follow(client: Client, incident_id: int, email: str, **extra):
    return client.post(reverse("incident-follow", args=[incident_id]), {"email": email, **extra})


def _link_in(body: str, path: str) -> str:
    return body.split(ORIGIN + path, 1)[1].split(">", 1)[0].split()[0]


def _confirm_path(message: OutboundMessage) -> str:
    return "/contact/follow/" + _link_in(message.body, "/contact/follow/")


def _confirmed(client: Client, incident, email: str) -> IncidentFollower:
    _follow(client, incident.pk, email)
    message = OutboundMessage.objects.filter(recipients=[email.lower()]).latest("pk")
    assert client.get(_confirm_path(message)).status_code == 200
    return IncidentFollower.objects.get(incident=incident, email=email.lower())


def test_the_contact_form_offers_to_follow_only_an_open_public_incident(manager, team, incident):
    make_incident(manager, team, title="Internal failover")
    page = Client().get(reverse("contact")).content.decode()
    assert 'id="follow-incident-1"' in page
    assert "Is it about “Checkout down”?" in page
    assert f'action="{reverse("incident-follow", args=[incident.pk])}"' in page
    assert "Internal failover" not in page
    assert 'id="follow-incident-2"' not in page
    incidents.resolve(incident.pk, by=manager)
    assert "follow-incident" not in Client().get(reverse("contact")).content.decode()


def test_asking_queues_a_confirmation_and_answers_the_same_for_a_follower(incident):
    client = Client()
    first = _follow(client, incident.pk, "Robin@Example.org")
    # then nothing follows yet: one confirmation mail is queued in the outbox
    assert first.status_code == 200
    assert IncidentFollower.objects.count() == 0
    message = OutboundMessage.objects.get()
    assert message.kind == MessageKind.INCIDENT_NOTICE
    assert message.ticket is None
    assert message.recipients == ["robin@example.org"]
    assert message.subject == "Confirm: follow “Checkout down”"
    token = _confirm_path(message).split("/")[3]
    assert links.read_confirm_token(token) == (incident.pk, "robin@example.org")
    # when the address already follows, the answer is the same page
    _confirmed(client, incident, "casey@example.org")
    again = _follow(client, incident.pk, "casey@example.org")
    assert again.content.replace(b"casey@example.org", b"X") == first.content.replace(
        b"Robin@Example.org", b"X"
    )


def test_confirming_twice_makes_one_follower_and_an_expired_link_is_refused(incident, settings):
    settings.FOLLOW_LINK_MAX_AGE_SECONDS = 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _follow(Client(), incident.pk, "robin@example.org")
    path = _confirm_path(OutboundMessage.objects.get())
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        expired = Client().get(path)
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        first = Client().get(path)
        second = Client().get(path)
    assert expired.status_code == 410
    assert b"This link has expired" in expired.content
    assert first.status_code == second.status_code == 200
    assert b"You follow \xe2\x80\x9cCheckout down\xe2\x80\x9d" in first.content
    assert IncidentFollower.objects.filter(incident=incident).count() == 1


@pytest.mark.parametrize(
    "token", ["forged:token", "x" * 3000, "%00", "eyJpIjoxLCJlIjoiYUBiLmMifQ:1abc:bad"]
)
def test_a_tampered_confirm_or_unfollow_link_is_a_400_page(client, db, token):
    confirm = client.get(reverse("incident-follow-confirm", kwargs={"token": token}))
    unfollow = client.post(reverse("incident-unfollow", kwargs={"token": token}))
    assert confirm.status_code == unfollow.status_code == 400
    assert b"not valid" in confirm.content
    assert IncidentFollower.objects.count() == 0


def test_a_portal_link_does_not_confirm_following(incident):
    from tickets.portal import links as portal_links

    token = portal_links.make_token("robin@example.org")
    assert (
        Client().get(reverse("incident-follow-confirm", kwargs={"token": token})).status_code == 400
    )


def test_a_link_to_a_resolved_incident_is_refused_with_a_page(manager, incident):
    _follow(Client(), incident.pk, "robin@example.org")
    path = _confirm_path(OutboundMessage.objects.get())
    incidents.resolve(incident.pk, by=manager)
    response = Client().get(path)
    assert response.status_code == 422
    assert b"is resolved: there is nothing to follow" in response.content
    assert IncidentFollower.objects.count() == 0


def test_updates_and_resolution_reach_followers_through_real_smtp(manager, incident, settings):
    client = Client()
    robin = _confirmed(client, incident, "robin@example.org")
    gone = _confirmed(client, incident, "gone@example.org")
    _follow(client, incident.pk, "unconfirmed@example.org")  # never confirmed
    assert Client().post(links.unfollow_link(gone.pk).removeprefix(ORIGIN)).status_code == 200
    with smtp_server() as (port, inbox):
        _smtp(settings, port)
        runner.run_due(budget_seconds=10)  # the three confirmation mails
        inbox.clear()
        incidents.post_update(
            incident.pk, by=manager, body="Fixed for most cards.<script>alert(1)</script>"
        )
        incidents.resolve(incident.pk, by=manager, solve_tickets=False)
        runner.run_due(budget_seconds=10)
    # then only the confirmed, still-following address got both, in order
    assert [(m["To"], m["Subject"]) for m in inbox] == [
        ("robin@example.org", "[Update] Checkout down"),
        ("robin@example.org", "[Resolved] Checkout down"),
    ]
    update, resolution = inbox
    text = update.get_body(preferencelist=("plain",)).get_content()
    assert "Fixed for most cards.<script>alert(1)</script>" in text
    unfollow_url = links.unfollow_link(robin.pk)
    assert f"Stop these mails: <{unfollow_url}>" in text
    assert update["List-Unsubscribe"].strip() == f"<{unfollow_url}>"  # folded: long
    assert update["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert update["Auto-Submitted"] == "auto-generated"
    html = update.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html  # the HTML part is sanitized
    assert "Fixed for most cards." in html
    assert (
        "This incident is resolved." in resolution.get_body(preferencelist=("plain",)).get_content()
    )
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}


def test_unfollow_asks_on_get_and_stops_on_a_one_click_post(manager, incident):
    follower = _confirmed(Client(), incident, "robin@example.org")
    path = links.unfollow_link(follower.pk).removeprefix(ORIGIN)
    page = Client().get(path)
    assert b"Stop these mails" in page.content
    follower.refresh_from_db()
    assert follower.unfollowed_at is None  # a mail scanner's GET changes nothing
    # a mail client's one-click POST carries no CSRF token
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert b"You no longer follow" in response.content
    follower.refresh_from_db()
    assert follower.unfollowed_at is not None
    incidents.post_update(incident.pk, by=manager, body="Still on it.")
    assert not OutboundMessage.objects.filter(subject="[Update] Checkout down").exists()


def test_following_again_after_unfollowing_resumes_the_mails(manager, incident):
    client = Client()
    follower = _confirmed(client, incident, "robin@example.org")
    client.post(links.unfollow_link(follower.pk).removeprefix(ORIGIN))
    _confirmed(client, incident, "robin@example.org")
    incidents.post_update(incident.pk, by=manager, body="Still on it.")
    assert OutboundMessage.objects.filter(subject="[Update] Checkout down").count() == 1


@pytest.mark.parametrize(
    ("_case", "email"),
    [
        ("not an address", "not-an-email"),
        ("empty", ""),
        ("script", "<script>alert(1)</script>@example.org"),
        ("too long", "a" * 250 + "@example.org"),
        ("header injection", "robin@example.org\r\nBcc: all@example.org"),
    ],
)
def test_bad_addresses_are_a_form_error_and_queue_nothing(incident, _case, email):
    response = _follow(Client(), incident.pk, email)
    assert response.status_code == 422
    assert b"<script>alert(1)</script>" not in response.content
    assert "email" in response.context["form"].errors
    assert OutboundMessage.objects.count() == 0


def test_a_private_resolved_or_unknown_incident_cannot_be_followed(manager, team, incident):
    private = make_incident(manager, team, title="Internal failover")
    resolved = make_incident(manager, team, title="Old outage", public=True)
    incidents.resolve(resolved.pk, by=manager)
    answers = [
        _follow(Client(), pk, "robin@example.org").status_code
        for pk in (private.pk, resolved.pk, 999_999)
    ]
    assert answers == [404, 404, 404]
    assert OutboundMessage.objects.count() == 0
    assert Client().get(reverse("incident-follow", args=[incident.pk])).status_code == 405


def test_a_filled_honeypot_answers_the_same_and_sends_nothing(incident):
    bot = _follow(Client(), incident.pk, "bot@example.org", website="http://spam.example")
    person = _follow(Client(), incident.pk, "bot@example.org")
    assert bot.status_code == person.status_code == 200
    assert bot.content == person.content
    assert OutboundMessage.objects.count() == 1


def test_markup_in_an_incident_title_is_shown_as_text(manager, team):
    make_incident(manager, team, public=True, title="<img src=x onerror=alert(1)>")
    page = Client().get(reverse("contact")).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_asking_to_follow_is_rate_limited_per_address_and_per_ip(incident, settings):
    settings.FOLLOW_RATE_PER_EMAIL = "2/h"
    settings.FOLLOW_RATE_PER_IP = "4/h"
    per_address = [
        _follow(Client(REMOTE_ADDR=f"192.0.2.{i}"), incident.pk, "robin@example.org").status_code
        for i in range(3)
    ]
    one_ip = Client(REMOTE_ADDR="192.0.2.200")
    per_ip = [_follow(one_ip, incident.pk, f"u{i}@example.org").status_code for i in range(5)]
    assert per_address == [200, 200, 429]
    assert per_ip == [200, 200, 200, 200, 429]
    assert OutboundMessage.objects.count() == 6


def test_admin_lists_followers_and_adds_none(admin_user, incident, client_for):
    _confirmed(Client(), incident, "robin@example.org")
    client = client_for(admin_user)
    listing = client.get(reverse("admin:tickets_incidentfollower_changelist"))
    assert listing.status_code == 200
    assert "robin@example.org" in listing.content.decode()
    assert client.get(reverse("admin:tickets_incidentfollower_add")).status_code == 403
