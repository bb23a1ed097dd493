"""Accessibility: axe-core (vendored from npm, tests/browser/vendor) finds no serious or
critical violation on the main page of each role; a skip link, a favicon and visible focus."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD
from tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose context may inject axe's script (the app's CSP would refuse it)."""
    contexts = []

    def make(username: str):
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    yield make
    for context in contexts:
        context.close()


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    assert result["passes"], "axe checked nothing"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    ("who", "paths"),
    [
        ("rita", ["/", "/tickets/", "TICKET"]),
        (
            "maria",
            ["/tickets/escalations/", "/tickets/incidents/", "/staff/", "/staff/qa/scorecards/"],
        ),
        ("diane", ["/kpis/", "/policies/documents/", "/policies/documents/new/"]),
    ],
)
def test_main_pages_have_no_serious_violation(axe_page, who, paths, rep, manager, director, team):
    ticket = make_ticket(team, subject="Refund for order 1042")
    page = axe_page(who)
    found = {}
    for path in paths:
        page.goto(f"/tickets/{ticket.pk}/" if path == "TICKET" else path)
        page.wait_for_load_state("networkidle")
        if problems := _violations(page):
            found[path] = problems
    assert found == {}


def test_skip_link_favicon_and_visible_focus(axe_page, rep):
    page = axe_page("rita")
    page.goto("/tickets/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon.endswith(".svg")
    assert page.request.get(icon).ok
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_visible()
    assert page.url.endswith("#main")
