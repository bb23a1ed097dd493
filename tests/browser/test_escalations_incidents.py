"""A manager accepts an escalation, declares an incident, links three tickets from the
queue, posts one update (delivered by a real worker), and each linked ticket shows it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_ticket
from tests.integration.worker import running_worker
from tickets.models import Escalation, Incident
from tickets.services import escalations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_manager_handles_escalation_and_incident(new_page, manager, rep, team):
    escalated = make_ticket(team, subject="Refund of 900 EUR")
    esc = escalations.escalate(
        escalated.pk,
        by=rep,
        target="manager",
        category="refund_approval",
        reason="Above my refund limit",
    )
    linked = [make_ticket(team, subject=f"Cannot pay order {n}") for n in (101, 102, 103)]

    page = new_page()
    login(page, manager.username)

    # Accept the escalation on the board (htmx swaps the row in place).
    page.goto("/tickets/escalations/")
    row = page.locator(f"#escalation-{esc.pk}")
    expect(row).to_contain_text("Above my refund limit")
    row.locator("button[name=accept]").click()
    expect(page.locator(f"#escalation-{esc.pk}")).to_have_attribute("data-state", "accepted")
    expect(page.locator('[data-metric="accepted"]')).to_have_text("1")

    # Declare an incident.
    page.goto("/tickets/incidents/")
    page.fill("#id_title", "Payment provider outage")
    page.select_option("#id_severity", "sev1")
    page.fill("#id_description", "Card payments fail at checkout.")
    page.fill("#id_customer_update", "Card payments are failing; we are on it.")
    page.click("#declare-submit")
    expect(page).to_have_url(re.compile(r"/tickets/incidents/\d+/$"))
    incident = Incident.objects.get()

    # Link three tickets by bulk selection in the queue.
    page.goto("/tickets/")
    for ticket in linked:
        page.check(f"input[name=ticket][value='{ticket.pk}']")
    page.select_option("#bulk-incident", str(incident.pk))
    page.click("#bulk-link-submit")
    expect(page).to_have_url(re.compile(rf"/tickets/incidents/{incident.pk}/$"))
    expect(page.locator("#linked-tickets tbody tr")).to_have_count(3)

    # Post one update; a real worker delivers it and the progress row fills by polling.
    with running_worker():
        page.fill("#update-form textarea[name=body]", "Payments work again since 10:40.")
        page.click("#post-update")
        expect(page.locator(".progress").last).to_contain_text(
            "Delivered to 3 of 3 tickets", timeout=30_000
        )

    for ticket in linked:
        page.goto(f"/tickets/{ticket.pk}/")
        expect(page.locator(".message.agent").last).to_contain_text(
            "Payments work again since 10:40."
        )
    assert Escalation.objects.get(pk=esc.pk).owner_id == manager.pk
