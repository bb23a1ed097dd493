"""A manager moves a candidate from the offer to hired on the pipeline board (in place, with
htmx), then finds the new rep's onboarding plan; on a phone the board's columns stack."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffing.hiring.models import Candidate
from staffing.models import OnboardingPlan
from tests.browser.conftest import login
from tests.staffing import hiring_builders as hb

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_hires_from_the_board_and_finds_the_onboarding_plan(
    new_page, manager, director, team
):
    hb.onboarding_template()
    req = hb.open_requisition(team, manager, director)
    nora = hb.to_offer(hb.candidate(req, manager), manager)
    hb.candidate(req, manager, name="Ann Early", email="ann@example.com")

    page = new_page()
    login(page, manager.username)
    page.click("nav[aria-label=Main] >> text=Hiring")
    page.click("#requisitions >> text=Support rep × 1")
    offer = page.locator("#col-offer")
    expect(offer).to_contain_text("Nora Quinn")
    card = page.locator(f"#candidate-{nora.pk}")
    card.locator("select[name=to]").select_option("hired")
    card.locator("input[name=reason]").fill("Best chat sample of the round")
    card.locator("button[type=submit]").click()

    # The board is swapped in place: Nora is in Hired, the confirmation shows.
    expect(page.locator("#col-hired")).to_contain_text("Nora Quinn")
    expect(page.locator("#col-offer")).not_to_contain_text("Nora Quinn")
    expect(page.locator("#flash")).to_contain_text("Nora Quinn moved to Hired.")
    assert Candidate.objects.get(pk=nora.pk).stage == "hired"

    # The new rep's onboarding plan is one click from the candidate.
    page.locator("#col-hired >> text=Nora Quinn").click()
    page.click("#onboarding-plan-link")
    expect(page.locator("h1")).to_have_text("New rep: Nora Quinn")
    expect(page.locator("li[data-step]")).to_have_count(2)
    expect(page.locator("li[data-step='1']")).to_contain_text("Take Ticketing 101")
    assert OnboardingPlan.objects.get().user.username == "nora.quinn"


def test_the_board_stacks_on_a_phone(browser, live_server, manager, director, team):
    req = hb.open_requisition(team, manager, director)
    hb.candidate(req, manager)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    try:
        page = context.new_page()
        login(page, manager.username)
        page.goto(f"/staff/hiring/requisitions/{req.pk}/")
        applied = page.locator("#col-applied").bounding_box()
        screen = page.locator("#col-screen").bounding_box()
        # one column per row, within the screen's width: no sideways scrolling
        assert screen["y"] > applied["y"] + applied["height"] - 1
        assert applied["width"] <= 390
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390
    finally:
        context.close()
