"""A properties edit that lost a race keeps the rep's draft and says what differs now."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_ticket
from tickets import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stale_properties_edit_keeps_the_draft_then_saves_it(new_page, rep, rep2, team):
    # given: the rep has the ticket open; a colleague then raises its priority
    ticket = make_ticket(team, subject="Invoice twice")
    page = new_page()
    login(page, rep.username)
    page.goto(f"/tickets/{ticket.pk}/")
    props = page.locator("#props-form")
    expect(props.locator("select[name=priority]")).to_have_value("normal")
    services.update_ticket(ticket.pk, by=rep2, expected_version=1, priority="high")

    # when: the rep sets the status (htmx posts the form on change)
    props.locator("select[name=status]").select_option("pending")

    # then: the banner, the draft kept in the form, and what the ticket has now
    expect(page.locator("[data-error=stale]").first).to_contain_text("Your draft is kept below.")
    expect(props.locator("select[name=status]")).to_have_value("pending")
    expect(page.locator("#props-changed li[data-field=priority]")).to_have_text("Priority: High")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.version) == ("open", "high", 2)

    # when: the rep takes the colleague's priority into the draft, it saves on the new version
    # (once htmx has settled the swapped form: a change before that reaches no listener)
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-swapping')")
    props.locator("select[name=priority]").select_option("high")
    expect(page.locator("#props-changed")).to_have_count(0)
    expect(page.locator("#ticket-status")).to_have_text("Pending")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.version) == ("pending", "high", 3)
