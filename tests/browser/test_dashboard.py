"""A director reads the dashboard: filters to one team and a custom range, drills from the
first-reply tile into its tickets, exports CSV, sets a goal; a customer answers a survey and
the CSAT tile changes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kpis.models import Goal
from tests.browser.conftest import login
from tests.kpis.dashboard_data import build
from tickets.models import SurveyInvitation
from tickets.services import surveys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_dashboard_journey(new_page, team, other_team, rep, rep_other_team, director):
    data = build(team, other_team, rep, rep_other_team)
    page = new_page()
    login(page, director.username)
    page.click("nav[aria-label=Main] >> text=Dashboard")
    expect(page.locator("h1")).to_have_text("KPI dashboard")
    expect(page.locator("#freshness")).to_be_visible()
    # the definition is on hover
    label = page.locator("#tile-first_reply_median .tile-label")
    assert "First reply time" in label.get_attribute("title")

    # Filter: custom range 2 March 2026, team Tier 1 (htmx swaps the body; the URL keeps it).
    page.select_option("#id_preset", "custom")
    page.fill("#id_start", "2026-03-02")
    page.fill("#id_end", "2026-03-02")
    page.select_option("#id_team", str(team.pk))
    # (four htmx requests in a row on a shared 2-core machine: allow them time)
    expect(page).to_have_url(re.compile(rf"team={team.pk}"), timeout=20_000)
    expect(page).to_have_url(re.compile(r"start=2026-03-02"))
    expect(page.locator("#tile-created .tile-value")).to_have_text("2")
    expect(page.locator("#tile-first_reply_median .tile-value")).to_have_text("1 h")
    expect(page.locator("#chart-created")).to_be_visible()

    # Drill from the first-reply tile into its tickets.
    page.click("#tile-first_reply_median")
    expect(page.locator("h1")).to_contain_text("First reply (median): 2 tickets")
    rows = page.locator("#drill-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(f"#{data['a'].pk} A printer")
    expect(rows.nth(0)).to_contain_text("30 min")
    expect(rows.nth(1)).to_contain_text("1.5 h")

    # Export those tickets as CSV.
    with page.expect_download() as download:
        page.click("#drill-export")
    with open(download.value.path(), encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    assert lines[0].startswith("ticket,subject,status,channel")
    assert [line.split(",")[0] for line in lines[1:]] == [str(data["a"].pk), str(data["b"].pk)]

    # Set a goal.
    page.goto("/kpis/goals/")
    page.select_option("#id_metric", "first_reply_median")
    page.select_option("#id_team", str(team.pk))
    page.select_option("#id_hours", "calendar")
    page.fill("#id_target", "60")
    page.click("#goal-form button[type=submit]")
    expect(page.locator("#goals-table tbody tr")).to_have_count(1)
    expect(page.locator("#goals-table tbody tr")).to_contain_text("First reply (median)")
    assert Goal.objects.get().team_id == team.pk

    # CSAT: nothing rated this week; a customer answers; the tile changes.
    page.goto("/kpis/?preset=7d")
    expect(page.locator("#tile-csat .tile-value")).to_have_text("—")
    invitation = SurveyInvitation.objects.get(ticket=data["a"])
    customer = new_page()
    customer.goto(f"/survey/{surveys.make_token(invitation)}/")
    expect(customer.locator("h1")).to_have_text("How did we do?")
    customer.check("input[name=rating][value='5']")
    customer.fill("textarea[name=comment]", "Printer works again")
    customer.click("#survey-form button[type=submit]")
    expect(customer.locator("#survey-thanks")).to_contain_text("5/5")
    page.reload()
    expect(page.locator("#tile-csat .tile-value")).to_have_text("100.0 %")
