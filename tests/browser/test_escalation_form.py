"""In the browser, the escalation form shows the team drop-down only for the next-tier
target, and its "Goes to" line follows the chosen target and team before anything is sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from csops.roles import Role
from tests.browser.conftest import login
from tests.factories import TeamFactory, UserFactory, make_ticket
from tickets.models import Escalation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_target_shows_its_fields_and_where_it_goes(new_page, rep, manager, team):
    # given a Tier 1 ticket, its manager Maria Manager, and two higher tiers
    team.name = "Tier 1 Support"
    team.save()
    manager.first_name, manager.last_name = "Maria", "Manager"
    manager.save()
    TeamFactory(name="Tier 2 Technical", slug="tier-2-technical", tier=2)
    tier3 = TeamFactory(name="Tier 3 Engineering", slug="tier-3-engineering", tier=3)
    tier3.managers.add(UserFactory(username="tess", role=Role.MANAGER))
    ticket = make_ticket(team, subject="Export fails")

    # when the rep opens the escalation form
    page = new_page()
    login(page, rep.username)
    page.goto(f"/tickets/{ticket.pk}/")
    page.click("#escalate-toggle")

    # then the manager target is chosen: no team drop-down, the line names the managers
    team_field = page.locator("#escalate-team-field")
    manager_line = page.locator("#goes-to-manager")
    tier_line = page.locator("#goes-to-tier")
    expect(page.locator("input[name=target][value=manager]")).to_be_checked()
    expect(team_field).to_be_hidden()
    expect(tier_line).to_be_hidden()
    expect(manager_line).to_be_visible()
    expect(manager_line).to_have_text("Goes to: the managers of Tier 1 Support (Maria Manager)")

    # when they choose the next tier
    page.check("input[name=target][value=tier]")
    # then the team drop-down appears and the line names the lowest higher tier
    expect(team_field).to_be_visible()
    expect(manager_line).to_be_hidden()
    expect(tier_line).to_have_text("Goes to: Tier 2 Technical (tier 2)")

    # when they choose another team, the line follows it
    teams = page.locator("#escalate-form select[name=to_team]")
    teams.select_option(label="Tier 3 Engineering (tier 3)")
    expect(tier_line).to_have_text("Goes to: Tier 3 Engineering (tier 3)")

    # and back to the manager target hides the team again
    page.check("input[name=target][value=manager]")
    expect(team_field).to_be_hidden()
    expect(manager_line).to_be_visible()

    # when they send a next-tier escalation, it goes where the line said
    page.check("input[name=target][value=tier]")
    form = page.locator("#escalate-form")
    form.locator("select[name=category]").select_option("technical")
    form.locator("textarea[name=reason]").fill("Export returns error 500")
    with page.expect_response(lambda r: r.url.endswith(f"/tickets/{ticket.pk}/escalate/")) as sent:
        page.click("#escalate-submit")
    assert sent.value.status == 200  # htmx: a client redirect
    esc = Escalation.objects.get()
    assert (esc.target, esc.to_team_id) == ("tier", tier3.pk)
