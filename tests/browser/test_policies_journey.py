"""A procedure from draft to the rep's workspace: drafted and submitted by a manager,
approved and published with required acknowledgment by a director, acknowledged by a rep,
who then follows its checklist on a ticket and replies with a macro."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from policies.models import Acknowledgment, PolicyVersion
from policies.services import macros
from tests.browser.conftest import login
from tests.factories import CustomerFactory, make_ticket
from tests.policies.documents_helpers import category
from tickets.models import Ticket, TicketEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_procedure_from_draft_to_the_reps_workspace(new_page, rep, manager, director, team):
    refunds = category("Refunds")
    ticket = make_ticket(
        team, subject="Refund for order 1042", category=refunds,
        requester=CustomerFactory(name="Ada Lovelace"),
    )  # fmt: skip
    macros.create_macro(
        by=manager, title="Refund confirmed",
        body="Dear {{customer_name}}, your refund for ticket #{{ticket_number}} is on its way.",
        set_status="pending", set_priority="low",
    )  # fmt: skip

    # The manager drafts the procedure and submits it for review.
    page = new_page()
    login(page, manager.username)
    page.goto("/policies/documents/")
    page.click("#new-policy")
    page.fill("#id_title", "Refund procedure")
    page.select_option("#id_kind", "procedure")
    page.check(f"input[name=categories][value='{refunds.pk}']")
    page.fill("#id_body", "# Refunds\n\nRefund within **30 days** of purchase.")
    page.fill("#id_checklist", "Verify the order\nCheck the refund window")
    page.fill("#id_change_summary", "First version")
    page.check("#id_ack_required")
    page.check(f"input[name=ack_teams][value='{team.pk}']")
    page.fill("#id_ack_within_days", "3")
    page.click("button[name=save]")
    expect(page.locator("#version-state")).to_have_text("Draft")
    expect(page.locator("#policy-body strong")).to_have_text("30 days")
    page.click("#submit-review")
    expect(page.locator("#version-state")).to_have_text("In review")
    version_url = page.url

    # The director approves and publishes it.
    boss = new_page()
    login(boss, director.username)
    boss.goto(version_url)
    boss.fill("#comment-approve", "Clear and complete.")
    boss.click("#approve")
    expect(boss.locator("#version-state")).to_have_text("Approved")
    boss.click("#publish")
    expect(boss.locator("#version-state")).to_have_text("Published")
    expect(boss.locator("#transitions")).to_contain_text("Clear and complete.")

    # The rep sees it on the home page and acknowledges it after reading.
    rep_page = new_page()
    login(rep_page, rep.username)
    rep_page.goto("/")
    expect(rep_page.locator("#to-acknowledge")).to_contain_text("Refund procedure (version 1)")
    rep_page.click("#to-acknowledge >> text=Refund procedure")
    expect(rep_page.locator("#policy-body")).to_contain_text("Refund within 30 days of purchase.")
    rep_page.click("#acknowledge")
    expect(rep_page.locator("#nothing-to-acknowledge")).to_be_visible()

    # On a refund ticket the rep sees the checklist, ticks a step, applies a macro and sends.
    rep_page.goto(f"/tickets/{ticket.pk}/")
    procedures = rep_page.locator("#procedures")
    expect(procedures).to_contain_text("Refund procedure")
    expect(procedures).to_contain_text("0/2")
    rep_page.click("#procedures button[data-step='0']")
    expect(rep_page.locator("#procedures")).to_contain_text("☑ Verify the order")
    expect(rep_page.locator("#procedures")).to_contain_text("1/2")

    rep_page.select_option("#macro-pick", label="Refund confirmed")
    rep_page.click("#apply-macro")
    body = rep_page.locator("#reply-form textarea[name=body]")
    expect(body).to_have_value(
        f"Dear Ada Lovelace, your refund for ticket #{ticket.pk} is on its way."
    )
    expect(rep_page.locator("#reply-form select[name=status]")).to_have_value("pending")
    body.fill(body.input_value() + " Thank you for your patience.")
    rep_page.click("button[name=send]")
    expect(rep_page.locator(".message.agent").last).to_contain_text("Thank you for your patience.")
    expect(rep_page.locator("#ticket-status")).to_have_text("Pending")

    version = PolicyVersion.objects.get()
    assert version.state == "published"
    assert Acknowledgment.objects.get(version=version, user=rep).acknowledged_at is not None
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.priority) == ("pending", "low")
    types = list(TicketEvent.objects.filter(ticket=ticket).values_list("type", flat=True))
    assert types[-6:] == [
        "checklist_ticked", "status_changed", "public_reply", "status_changed",
        "priority_changed", "macro_applied",
    ]  # fmt: skip
