"""A manager corrects an incident's severity and title, unlinks a ticket on the incident
page (htmx swaps the page region) and another from the ticket's workspace."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_ticket
from tickets.models import Incident
from tickets.services import incidents

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_manager_edits_an_incident_and_unlinks_tickets(new_page, manager, team):
    incident = incidents.declare(
        by=manager,
        team=team,
        title="Payments slow",
        severity="sev3",
        description="Checkout takes a minute.",
        customer_update="Payments are slow; we are on it.",
    )
    first, second, third = (make_ticket(team, subject=f"Order {n} stuck") for n in (1, 2, 3))
    incidents.link_tickets(incident.pk, by=manager, ticket_ids=[first.pk, second.pk, third.pk])

    page = new_page()
    login(page, manager.username)
    page.goto(f"/tickets/incidents/{incident.pk}/")

    # Edit: open the form, change title and severity, save (htmx swaps #incident).
    page.click("#edit-toggle")
    page.fill("#edit-form input[name=title]", "Payments down")
    page.select_option("#edit-form select[name=severity]", "sev1")
    page.click("#edit-submit")
    expect(page.locator("#incident h1")).to_contain_text("Payments down")
    expect(page.locator("#incident h1")).to_contain_text("SEV1 — critical")
    expect(page.locator("#incident-timeline")).to_contain_text(
        "title “Payments slow” → “Payments down”; severity SEV3 — minor → SEV1 — critical"
    )
    # A blank title is refused in place, nothing saved.
    page.click("#edit-toggle")
    page.fill("#edit-form input[name=title]", "")
    page.eval_on_selector("#edit-form input[name=title]", "el => el.removeAttribute('required')")
    page.click("#edit-submit")
    expect(page.locator("#edit-title-errors")).to_contain_text("This field is required.")

    # Unlink on the incident page.
    expect(page.locator("#linked-tickets tbody tr")).to_have_count(3)
    page.click(f"#unlink-{first.pk} button")
    expect(page.locator("#linked-tickets tbody tr")).to_have_count(2)
    expect(page.locator("#incident-timeline")).to_contain_text(f"Unlinked #{first.pk}")

    # Unlink from the workspace's incident panel: back on the ticket, the incident gone.
    page.goto(f"/tickets/{second.pk}/")
    page.click(f"#unlink-incident-{incident.pk} button")
    expect(page).to_have_url(re.compile(rf"/tickets/{second.pk}/$"))
    expect(page.locator("#flash, .flash").first).to_contain_text(
        f"Ticket #{second.pk} unlinked from incident #{incident.pk}."
    )
    expect(page.locator(f"#unlink-incident-{incident.pk}")).to_have_count(0)

    incident = Incident.objects.get(pk=incident.pk)
    assert (incident.title, incident.severity) == ("Payments down", "sev1")
    assert list(incident.links.values_list("ticket_id", flat=True)) == [third.pk]
