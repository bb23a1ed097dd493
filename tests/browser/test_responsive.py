"""Every role's main pages work on a phone (issue 18, section 2): at 390 × 844 no page is wider
than the screen, the main menu is folded behind a button that opens it, Log out is reachable,
the queue is a stack of cards, and the workspace puts its sidebar below the conversation. At
1440 px a customer's very long email and unbroken words do not make the workspace scroll
sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_accessibility import _violations
from tests.factories import CustomerFactory, make_ticket
from tests.kpis.dashboard_data import build
from tests.policies.documents_helpers import published
from tickets.services import claim, escalations, incidents

pytestmark = [
    pytest.mark.browser,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
LONG_WORD = "Supercalifragilisticexpialidocious" * 12
LONG_EMAIL = "first.middle.last.accounts-payable." + "x" * 80 + "@subsidiary.example-corp.com"


@pytest.fixture
def world(team, other_team, rep, rep_other_team, manager, director):
    """Tickets with KPI figures, one with a very long word and email, an escalation on the
    board (its row carries visually hidden labels), an incident and a published policy."""
    data = build(team, other_team, rep, rep_other_team)
    long_one = make_ticket(
        team,
        subject="Refund " + "for-order-" * 12,
        description=f"My account {LONG_WORD} is broken, please see {LONG_WORD}.",
        requester=CustomerFactory(
            email=LONG_EMAIL, name="Maximiliana Featherstonehaugh-Cholmondeley"
        ),
        priority="high",
    )
    claim(long_one.pk, by=rep)
    escalated = make_ticket(team, subject="Refund of 900 EUR")
    escalations.escalate(
        escalated.pk, by=rep, target="manager", category="refund_approval", reason="Above my limit"
    )
    incidents.declare(
        by=manager,
        team=team,
        title="Checkout fails for every card payment after the release",
        severity="sev2",
        description="Card payments fail.",
        customer_update="We are looking into it.",
    )
    published(manager, director, title="Refunds above the limit of a representative")
    return {**data, "long": long_one}


def _fits(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path}: {response.status}"
    page.wait_for_load_state("networkidle")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths[0]} px > {widths[1]} px"


def _menu_folds_and_opens(page) -> None:
    """The menu starts folded; the toggle opens it with every link and Log out in view."""
    toggle = page.locator("#menu-toggle")
    nav = page.locator("nav[aria-label=Main]")
    logout = page.get_by_role("button", name="Log out")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(logout).to_be_hidden()

    toggle.click()

    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    for link in nav.locator("a").all():
        expect(link).to_be_in_viewport()
    expect(page.locator("#notifications-link")).to_be_in_viewport()
    expect(logout).to_be_in_viewport()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()


def _phone(new_page, username: str):
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, username)
    return page


def test_rep_queue_and_workspace_fit_a_phone(new_page, rep, world):
    page = _phone(new_page, rep.username)

    for path in ("/", "/tickets/?view=teams", "/tickets/", f"/tickets/{world['long'].pk}/"):
        _fits(page, path)

    # The workspace: the sidebar comes below the conversation, the long word wraps inside it.
    conversation = page.locator("ol.conversation").bounding_box()
    aside = page.locator(".workspace > aside").bounding_box()
    body = page.locator(".message.customer .body").first.bounding_box()
    assert aside["y"] >= conversation["y"] + conversation["height"]
    assert body["x"] + body["width"] <= PHONE["width"]
    expect(page.locator("#customer")).to_contain_text(LONG_EMAIL)

    # The queue: each ticket is a card as wide as the screen, not a row of an 860 px table.
    _fits(page, "/tickets/?view=teams")
    expect(page.locator("#queue-table tbody tr")).to_have_count(3)
    table = page.locator("#queue-table").bounding_box()
    card = page.locator("#queue-table tbody tr").first.bounding_box()
    assert table["width"] <= PHONE["width"]
    assert card["height"] > 3 * 20  # several lines: the cells are stacked
    assert page.locator("#queue-table tbody tr").first.locator("td[data-label=Assignee]").count()

    # The filters fold away on a phone (unless the address carries one) and open on a tap.
    search = page.locator("#id_q")
    expect(search).to_be_hidden()
    page.get_by_text("Search and filters").click()
    expect(search).to_be_visible()
    _fits(page, "/tickets/?view=teams&priority=high")
    expect(search).to_be_visible()

    _menu_folds_and_opens(page)

    # Log out is reachable from the folded menu.
    page.locator("#menu-toggle").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda url: "/login/" in url)
    _fits(page, "/login/")


def test_manager_board_incidents_and_staff_fit_a_phone(new_page, manager, team, world):
    page = _phone(new_page, manager.username)

    for path in (
        "/",
        "/tickets/",
        "/tickets/escalations/",
        "/tickets/incidents/",
        "/staff/",
        f"/staff/teams/{team.pk}/",
        f"/tickets/{world['long'].pk}/",
    ):
        _fits(page, path)
    expect(page.locator("#customer")).to_be_visible()

    # The escalations board: one card per escalation, its Accept button within the screen.
    _fits(page, "/tickets/escalations/")
    expect(page.locator("tr[id^=escalation-]")).to_have_count(1)
    assert page.locator("#escalation-table").bounding_box()["width"] <= PHONE["width"]
    accept = page.locator("tr[id^=escalation-] button[name=accept]").bounding_box()
    assert accept["x"] >= 0
    assert accept["x"] + accept["width"] <= PHONE["width"]
    _menu_folds_and_opens(page)


def test_director_dashboard_and_policies_fit_a_phone(new_page, director, world):
    page = _phone(new_page, director.username)

    for path in (
        "/",
        "/kpis/",
        "/kpis/?preset=custom&start=2026-03-02&end=2026-03-02",
        "/kpis/goals/",
        "/policies/documents/",
        "/policies/sla/",
    ):
        _fits(page, path)

    _fits(page, "/kpis/?preset=custom&start=2026-03-02&end=2026-03-02")
    expect(page.locator("canvas").first).to_be_visible()
    _fits(page, "/policies/documents/")
    expect(page.locator("main")).to_contain_text("Refunds above the limit of a representative")
    _menu_folds_and_opens(page)


def test_workspace_with_a_long_email_does_not_scroll_sideways_on_a_desktop(new_page, rep, world):
    page = new_page()
    page.set_viewport_size(DESKTOP)
    login(page, rep.username)

    _fits(page, f"/tickets/{world['long'].pk}/")

    # Wide screens: the menu is a row, with no toggle; the sidebar sits beside the conversation.
    expect(page.locator("#menu-toggle")).to_be_hidden()
    expect(page.get_by_role("button", name="Log out")).to_be_in_viewport()
    conversation = page.locator("ol.conversation").bounding_box()
    aside = page.locator(".workspace > aside").bounding_box()
    assert aside["x"] >= conversation["x"] + conversation["width"]
    assert aside["x"] + aside["width"] <= DESKTOP["width"]

    # The queue's filters stay open, with no fold to press.
    _fits(page, "/tickets/")
    expect(page.locator("#id_q")).to_be_visible()
    expect(page.get_by_text("Search and filters")).to_be_hidden()


def test_without_scripts_the_menu_stays_open_on_a_phone(browser, live_server, manager, world):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
    )
    try:
        page = context.new_page()
        login(page, manager.username)  # a plain form post: no script needed

        _fits(page, "/tickets/escalations/")

        # No toggle to press: every link and Log out show, and the page is no wider.
        expect(page.locator("#menu-toggle")).to_be_hidden()
        expect(page.locator("nav[aria-label=Main] a", has_text="Incidents")).to_be_visible()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        # and the filters stay open too.
        expect(page.locator("#board-filters")).to_be_visible()
    finally:
        context.close()


def test_phone_layout_has_no_serious_axe_violation(browser, live_server, manager, world):
    """The cards, the folded and the opened menu pass axe-core as the desktop layout does."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=PHONE)
    try:
        page = context.new_page()
        login(page, manager.username)
        found = {}
        for path in ("/tickets/", "/tickets/escalations/", f"/tickets/{world['long'].pk}/"):
            _fits(page, path)
            found[path] = _violations(page)
            page.locator("#menu-toggle").click()
            found[f"{path} with the menu open"] = _violations(page)

        assert {where: problems for where, problems in found.items() if problems} == {}
    finally:
        context.close()
