"""Feedback where the action happened: an htmx action's confirmation shows at once and never
again later; a queue filter change sends one request."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_confirmation_shows_at_once_and_only_once(new_page, rep, team):
    ticket = make_ticket(team, subject="Refund for order 1042")
    page = new_page()
    login(page, rep.username)
    page.goto(f"/tickets/{ticket.pk}/")
    page.click("#claim")
    toast = page.locator("#flash .flash-success")
    expect(toast).to_have_text(re.compile(f"You claimed ticket #{ticket.pk}"))
    # a reply in place does not bring the claim's message back, and neither does a new page
    page.fill("textarea[name=body]", "We are on it.")
    page.click("#reply-form button[type=submit]")
    expect(page.locator(".conversation")).to_contain_text("We are on it.")
    page.goto("/tickets/")
    expect(page.locator("#flash")).not_to_contain_text("You claimed")


def test_a_filter_change_sends_one_request(new_page, rep, team):
    make_ticket(team, subject="Refund", priority="high")
    make_ticket(team, subject="Password", priority="low")
    page = new_page()
    login(page, rep.username)
    page.goto("/tickets/?view=teams")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/tickets/?" in r.url else None)
    page.select_option("#id_priority", "high")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.locator("#id_q").press_sequentially("Refund", delay=50)
    page.wait_for_timeout(800)  # past the search box's 400 ms debounce
    page.locator("#id_status").focus()  # leaving the box fires "change" too
    page.wait_for_timeout(500)
    assert len(sent) == 2, sent  # one for the priority, one for the search
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.get_by_role("button", name="Apply")).to_have_count(0)
