"""A rep works a ticket from the queue to solved; a colleague cannot claim it after."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_ticket
from tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rep_claims_notes_replies_and_solves(new_page, rep, rep2, team):
    ticket = make_ticket(team, subject="Refund for order 1042", priority="high")
    make_ticket(team, subject="Password reset loop", priority="low")

    # A colleague has the ticket open before it is claimed.
    colleague = new_page()
    login(colleague, rep2.username)
    colleague.goto(f"/tickets/{ticket.pk}/")
    expect(colleague.locator("#claim")).to_be_visible()

    page = new_page()
    login(page, rep.username)
    # A rep's queue opens on their own tickets; the new one is in "All my teams".
    page.click("text=All my teams")
    # Filter the queue to high priority: htmx swaps the results and the URL keeps the filter.
    page.select_option("#id_priority", "high")
    expect(page).to_have_url(re.compile(r"priority=high"))
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.click("text=Refund for order 1042")
    expect(page.locator("h1")).to_contain_text("Refund for order 1042")

    page.click("#claim")
    expect(page.locator("#assignee-name")).to_have_text(rep.get_full_name())
    expect(page.locator("#ticket-status")).to_have_text("Open")

    page.check("input[name=kind][value=note]")
    page.fill("textarea[name=body]", "Order verified in the shop backend.")
    page.click("button[name=send]")
    expect(page.locator(".message.note")).to_contain_text("Order verified in the shop backend.")

    page.check("input[name=kind][value=public]")
    page.fill("textarea[name=body]", "Your refund is on its way.")
    page.select_option("select[name=status]", "solved")
    page.click("button[name=send]")
    expect(page.locator(".message.agent").last).to_contain_text("Your refund is on its way.")
    expect(page.locator("#ticket-status")).to_have_text("Solved")

    # The colleague's stale page still shows Claim; clicking it explains who has the ticket.
    colleague.click("#claim")
    expect(colleague.locator("#flash")).to_contain_text(
        f"Ticket #{ticket.pk} is already claimed by {rep.get_full_name()}."
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee_id) == ("solved", rep.pk)
    assert list(ticket.events.values_list("type", flat=True)) == [
        "created",
        "status_changed",
        "assigned",
        "internal_note",
        "public_reply",
        "status_changed",
    ]
    assert Ticket.objects.get(pk=ticket.pk).version == 4
