"""First-hour journeys in the browser: home lists the work waiting, the queue sorts by a
column header and marks why a ticket matched a search, an incident's closing message starts
empty, and an unknown page offers a way on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from policies.services import documents
from tests.browser.conftest import login
from tests.factories import make_incident, make_ticket
from tests.policies.documents_helpers import draft
from tickets import services
from tickets.services import incidents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_shows_what_waits_and_leads_to_it(new_page, manager, director):
    version = draft(manager, title="Refund procedure", approver=director)
    documents.submit(version.pk, by=manager)
    page = new_page()
    login(page, director.username)
    page.goto("/")
    item = page.locator("#waiting-policiesapprove")
    expect(item).to_contain_text("Policies to approve")
    expect(item.locator(".badge")).to_have_text("1")
    item.locator("a").click()
    expect(page).to_have_url(re.compile(r"/policies/documents/\?state=in_review"))
    expect(page.locator("#results")).to_contain_text("Refund procedure")
    expect(page.locator(".state-in_review")).to_have_text("In review")


def test_queue_sorts_by_header_and_marks_search_matches(new_page, rep, team):
    low = make_ticket(team, subject="Printer jam", priority="low")
    urgent = make_ticket(team, subject="Card charged twice", priority="urgent")
    services.reply(urgent.pk, by=rep, body="We refund the second charge today.", public=True)
    page = new_page()
    login(page, rep.username)
    page.goto("/tickets/?view=teams")
    page.get_by_role("link", name="Priority", exact=True).click()
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Priority")
    expect(page.locator("#results tbody tr").first).to_contain_text("Card charged twice")
    page.get_by_role("link", name="Priority", exact=True).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Priority")
    expect(page.locator("#results tbody tr").first).to_contain_text(low.subject)
    page.locator("#id_q").fill("refund")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator(f'[data-match="{urgent.pk}"] mark')).to_have_text("refund")


def test_resolving_an_incident_starts_from_an_empty_message(new_page, manager, team):
    incident = make_incident(manager, team, [make_ticket(team).pk])
    incidents.post_update(incident.pk, by=manager, body="A fix ships later today.")
    page = new_page()
    login(page, manager.username)
    page.goto(f"/tickets/incidents/{incident.pk}/")
    expect(page.locator("#resolve-form textarea")).to_have_value("")
    expect(page.locator("#resolve-recipients")).to_contain_text("1 linked ticket")


def test_an_unknown_page_offers_to_log_in(new_page):
    page = new_page()
    page.goto("/no/such/page/")
    expect(page.locator("h1")).to_have_text("Page not found")
    page.locator("#status-login").click()
    expect(page).to_have_url(re.compile(r"/login/\?next=/no/such/page/"))
