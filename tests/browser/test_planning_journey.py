"""A director opens the team's plan, changes AHT and shrinkage, sees the heat map change in
place, and saves the scenario."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kpis.models import ArrivalSlot
from kpis.zone import day_of, week_start
from staffing.planning.models import Scenario
from staffing.schedules.models import Shift
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_plans_with_what_if_and_saves_a_scenario(new_page, director, rep, team):
    this_week = week_start(day_of(timezone.now()))
    start = this_week - timedelta(weeks=12)
    rows = []
    for d in range(12 * 7):
        day = start + timedelta(days=d)
        if day.weekday() < 5:
            rows += [
                ArrivalSlot(day=day, slot=s, team_id=team.pk, channel="phone", n=30)
                for s in range(18, 34)
            ]
    ArrivalSlot.objects.bulk_create(rows)
    Shift.objects.create(user=rep, team=team, weekday=0, start=time(9), end=time(17))

    page = new_page()
    login(page, director.username)
    page.goto("/staff/planning/")
    page.click(f"#planning-teams >> text={team.name}")
    expect(page.locator("#forecast-channels")).to_contain_text("Phone")
    before = page.locator("#required-hours").inner_text()
    expect(page.locator("#heatmap td.under").first).to_be_visible()

    page.fill("#id_aht_phone", "600")
    page.fill("#id_shrinkage", "40")
    page.locator("#id_shrinkage").dispatch_event("change")
    expect(page.locator("#required-hours")).not_to_have_text(before)
    after = float(page.locator("#required-hours").inner_text())
    assert after > float(before)
    assert "aht_phone=600" in page.url  # the what-if is in the address (shareable, back button)

    page.fill("#id_name", "Longer calls")
    page.click("#scenario-save button[type=submit]")
    expect(page.locator("#flash")).to_contain_text("Scenario “Longer calls” saved.")
    scenario = Scenario.objects.get(name="Longer calls")
    assert scenario.params["aht"]["phone"] == 600
    assert scenario.params["shrinkage"] == "0.4"
    expect(page.locator("#scenarios")).to_contain_text("Longer calls")
