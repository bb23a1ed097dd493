"""A customer writes through the public contact form, gets the acknowledgment by email (from a
real SMTP server, sent by a real worker), follows its portal link, sees the reply a rep sends
from the workspace (also mailed), and answers from the portal; then signs out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, wait_for
from tests.integration.worker import running_worker
from tests.tickets.smtp_peer import smtp_server
from tickets.mail.inbound.tokens import subject_reference
from tickets.models import Ticket
from tickets.models.events import ActorRole, EventType

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_customer_contact_form_acknowledgment_portal_and_reply(
    new_page, live_server, rep, team, settings
):
    settings.CSOPS_PUBLIC_URL = live_server.url  # the links in the mail point at this server
    with smtp_server() as (port, inbox):
        env = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "JOB_POLL_SECONDS": "1",
        }
        # The customer opens the contact page on a phone (the server's first answer is slow
        # on a loaded machine: it is given time before the worker starts beside it).
        customer = new_page()
        customer.set_viewport_size({"width": 375, "height": 740})
        customer.goto("/contact/", timeout=60_000)
        with running_worker(beat=True, env=env):
            customer.fill("#id_name", "Robin Web")
            customer.fill("#id_email", "robin@example.org")
            customer.fill("#id_subject", "Parcel 7781 never arrived")
            customer.fill("#id_message", "It was due last Monday.")
            customer.click("#contact-form button[type=submit]")
            expect(customer.locator("#contact-sent")).to_contain_text("we have your request")
            ticket = Ticket.objects.get(subject="Parcel 7781 never arrived")
            assert (ticket.channel, ticket.requester.email) == ("web", "robin@example.org")

            # The acknowledgment arrives, auto-generated, with the reference and a portal link.
            assert wait_for(lambda: len(inbox) == 1), "no acknowledgment arrived"
            ack = inbox[0]
            assert ack["To"] == "robin@example.org"
            assert ack["Auto-Submitted"] == "auto-generated"
            assert ack["Subject"].startswith(
                f"{subject_reference(ticket.pk)} We received your request"
            )
            text = ack.get_body(("plain",)).get_content()
            assert f"Its reference is #{ticket.pk}." in text
            link = re.search(r"(http://\S+/portal/link/\S+/)", text).group(1)

            # Following the link opens the request in the portal, signed in as that address.
            customer.goto(link)
            expect(customer).to_have_url(re.compile(rf"/portal/requests/{ticket.pk}/$"))
            expect(customer.locator("#flash")).to_contain_text("Signed in as robin@example.org")
            expect(customer.locator("#portal-conversation")).to_contain_text(
                "It was due last Monday."
            )
            no_overflow = "document.documentElement.scrollWidth <= window.innerWidth"
            assert customer.evaluate(no_overflow), "the portal scrolls sideways on a phone"

            # A rep answers from the workspace (and writes an internal note).
            agent = new_page()
            login(agent, rep.username)
            agent.goto(f"/tickets/{ticket.pk}/")
            agent.check("input[name=kind][value=note]")
            agent.fill("textarea[name=body]", "Courier says lost in depot.")
            agent.click("button[name=send]")
            expect(agent.locator(".message.note")).to_contain_text("lost in depot")
            agent.check("input[name=kind][value=public]")
            agent.fill("textarea[name=body]", "We are sending a new parcel today.")
            agent.select_option("select[name=status]", "pending")
            agent.click("button[name=send]")
            expect(agent.locator("#ticket-status")).to_have_text("Pending")

            # The reply is mailed, threaded under the acknowledgment ...
            assert wait_for(lambda: len(inbox) == 2), "the rep's reply was not mailed"
            assert inbox[1]["In-Reply-To"] == ack["Message-ID"]
            # ... and shows in the portal; the internal note never does.
            customer.reload()
            conversation = customer.locator("#portal-conversation")
            expect(conversation).to_contain_text("We are sending a new parcel today.")
            expect(conversation).not_to_contain_text("lost in depot")
            expect(customer.locator("#portal-status")).to_have_text("Pending")

            # The customer answers from the portal: the request reopens.
            customer.fill("#id_body", "Thank you, I will watch for it.")
            customer.click("#portal-reply button[type=submit]")
            expect(customer.locator("#flash")).to_contain_text("Your answer was sent.")
            expect(customer.locator("#portal-conversation")).to_contain_text("I will watch for it.")
            expect(customer.locator("#portal-status")).to_have_text("Open")

            # The rep sees it in the workspace as a customer reply.
            agent.reload()
            expect(agent.locator(".message.customer").last).to_contain_text("I will watch")

            # Sign out: the request is no longer reachable from this browser.
            customer.click("#portal-sign-out")
            expect(customer.locator("#portal-sign-in")).to_be_visible()
            customer.goto(f"/portal/requests/{ticket.pk}/")
            expect(customer.locator("#portal-sign-in")).to_be_visible()

    answer = ticket.events.filter(type=EventType.PUBLIC_REPLY).last()
    assert (answer.actor_role, answer.data) == (ActorRole.CUSTOMER, {"channel": "portal"})
    assert len(inbox) == 2  # an agent's note and the customer's own answer are never mailed
