"""During a public incident a customer on the contact form chooses to follow it instead of
writing; the confirmation mail arrives (real SMTP server, sent by a real worker) and its
signed link confirms. A manager posts an update on the incident page: the follower gets it by
mail, with an unsubscribe link that stops the next one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, wait_for
from tests.factories import make_incident
from tests.integration.worker import running_worker
from tests.tickets.smtp_peer import smtp_server
from tickets.followers.models import IncidentFollower
from tickets.mail.models import OutboundMessage
from tickets.models import Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _link(text: str, path: str) -> str:
    return re.search(rf"(http://\S+{re.escape(path)}[^\s>]+)", text).group(1)


def test_customer_follows_an_incident_gets_its_update_and_unsubscribes(
    new_page, live_server, manager, team, settings
):
    settings.CSOPS_PUBLIC_URL = live_server.url  # the links in the mail point at this server
    incident = make_incident(
        manager, team, public=True, customer_update="Card payments fail at checkout."
    )
    with smtp_server() as (port, inbox):
        env = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "JOB_POLL_SECONDS": "1",
        }
        customer = new_page()
        customer.set_viewport_size({"width": 375, "height": 740})
        customer.goto("/contact/", timeout=60_000)
        with running_worker(beat=True, env=env):
            # The contact form offers to follow the incident; the customer does.
            offer = customer.locator("#follow-incident-1")
            expect(offer).to_contain_text("Is it about “Checkout down”?")
            offer.get_by_label("Your email address").fill("robin@example.org")
            offer.get_by_role("button", name="Follow this incident").click()
            expect(customer.locator("#follow-sent")).to_contain_text(
                "is on its way to robin@example.org"
            )
            assert not IncidentFollower.objects.exists()  # not before the link is followed
            assert not Ticket.objects.exists()  # and no request was opened

            # The confirmation arrives; its signed link makes the customer a follower.
            assert wait_for(lambda: len(inbox) == 1), "no confirmation arrived"
            confirmation = inbox[0]
            assert (confirmation["To"], confirmation["Subject"]) == (
                "robin@example.org",
                "Confirm: follow “Checkout down”",
            )
            customer.goto(_link(_text(confirmation), "/contact/follow/"))
            expect(customer.locator("#follow-confirmed")).to_contain_text(
                "You follow “Checkout down”"
            )
            follower = IncidentFollower.objects.get(incident=incident)
            assert follower.email == "robin@example.org"

            # A manager posts an update from the incident page; the follower gets it.
            agent = new_page()
            login(agent, manager.username)
            agent.goto(f"/tickets/incidents/{incident.pk}/")
            agent.fill("#update-form textarea[name=body]", "Payments work again since 10:40.")
            agent.click("#post-update")
            expect(agent.locator('[data-count="updates"]')).to_have_text("1")
            assert wait_for(lambda: len(inbox) == 2), "the update never arrived"
            update = inbox[1]
            assert (update["To"], update["Subject"]) == (
                "robin@example.org",
                "[Update] Checkout down",
            )
            text = _text(update)
            assert "Payments work again since 10:40." in text

            # Its unsubscribe link asks first, then stops the mails.
            unfollow = _link(text, "/contact/unfollow/")
            assert update["List-Unsubscribe"].strip() == f"<{unfollow}>"
            customer.goto(unfollow)
            customer.get_by_role("button", name="Stop these mails").click()
            expect(customer.locator("#unfollow")).to_contain_text(
                "You no longer follow “Checkout down”"
            )
            follower.refresh_from_db()
            assert follower.unfollowed_at is not None

            # The next update is posted; it is mailed to nobody any more.
            agent.fill("#update-form textarea[name=body]", "All payments work again.")
            agent.click("#post-update")
            expect(agent.locator('[data-count="updates"]')).to_have_text("2")
    assert [m["Subject"] for m in inbox] == [
        "Confirm: follow “Checkout down”",
        "[Update] Checkout down",
    ]
    # follower mails are queued in the update's own transaction: none for the second one
    assert OutboundMessage.objects.filter(subject="[Update] Checkout down").count() == 1
