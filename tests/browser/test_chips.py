"""Multi-selects as chips with type-ahead (issue 18, section 6): the queue's priority and channel
filters and the tags fields are Tom Select boxes (static/vendor/tom-select, wired in
static/js/app.js); picking or removing a chip sends one request, and nothing breaks the CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from policies.models import Tag
from tests.browser.conftest import login
from tests.browser.test_accessibility import _violations, axe_page  # noqa: F401 (a fixture)
from tests.browser.test_csp import Watch
from tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pick(page, field: str, typed: str, option: str) -> None:
    """Type into the chips box of ``field`` and click the matching entry of its list."""
    box = page.locator(f"#id_{field}-ts-control")
    box.click()
    box.press_sequentially(typed, delay=30)
    listbox = page.locator(f"#id_{field}-ts-dropdown")
    expect(listbox.get_by_role("option")).to_have_count(1)  # the typing narrowed the list
    listbox.get_by_role("option", name=option).click()


def test_queue_filters_by_two_priorities_picked_as_chips(new_page, rep, team):
    make_ticket(team, subject="Server down", priority="urgent")
    make_ticket(team, subject="Refund", priority="high")
    make_ticket(team, subject="Password", priority="low")
    watch = Watch(new_page())
    page = watch.page
    login(page, rep.username)
    watch.visit("/tickets/?view=teams")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(3)
    # The native multi-selects are enhanced: hidden for the eye, still the form's values.
    for field in ("priority", "channel"):
        expect(page.locator(f"select#id_{field}.tomselected")).to_have_count(1)
        expect(page.locator(f"#id_{field}-ts-control")).to_be_visible()
    expect(page.get_by_role("combobox", name="Priority")).to_be_visible()

    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/tickets/?" in r.url else None)

    _pick(page, "priority", "hig", "High")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Refund")
    _pick(page, "priority", "urg", "Urgent")
    expect(rows).to_have_count(2)
    expect(page).to_have_url(re.compile(r"priority=high&priority=urgent"))
    chips = page.locator("#id_priority-ts-control").locator("xpath=..").locator(".item")
    expect(chips).to_have_text(["High×", "Urgent×"])
    assert len(sent) == 2, sent  # one request per chip

    # Removing a chip is one more request; the page keeps the other.
    page.locator(".ts-wrapper .item[data-value=high] .remove").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Server down")
    expect(page).to_have_url(re.compile(r"status=unresolved&priority=urgent&"))
    page.wait_for_load_state("networkidle")
    assert len(sent) == 3, sent
    assert page.locator("select#id_priority").evaluate(
        "s => [...s.selectedOptions].map(o => o.value)"
    ) == ["urgent"]

    # After the swap and a reload the widget comes back with the chosen chip.
    page.reload()
    expect(page.locator(".ts-wrapper .item[data-value=urgent]")).to_have_count(1)
    assert watch.violations("/tickets/ chips") == []


def test_a_tag_set_with_the_chips_box_is_saved_once(new_page, rep, team):
    Tag.objects.create(name="billing")
    Tag.objects.create(name="refund")
    ticket = make_ticket(team, subject="Refund for order 1042")
    watch = Watch(new_page())
    page = watch.page
    login(page, rep.username)
    watch.visit(f"/tickets/{ticket.pk}/")

    posts: list[str] = []
    page.on(  # the presence poll (every 4 s) is a POST too, and not the edit's
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "/presence/" not in r.url else None,
    )
    with page.expect_response(lambda r: r.request.method == "POST" and "/update" in r.url):
        _pick(page, "tags", "ref", "refund")
    # The workspace redraws the properties with the tag as a chip, and the box keeps focus.
    expect(page.locator("#props-form .ts-wrapper .item[data-value=refund]")).to_have_count(1)
    expect(page.locator("#id_tags-ts-control")).to_be_focused()
    page.wait_for_load_state("networkidle")
    assert len(posts) == 1, posts
    ticket.refresh_from_db()
    assert [t.name for t in ticket.tags.all()] == ["refund"]
    assert watch.violations("workspace chips") == []


def test_chips_and_their_open_list_pass_axe(axe_page, rep, team):  # noqa: F811 (the fixture)
    make_ticket(team, subject="Server down", priority="urgent")
    page = axe_page(rep.username)
    page.goto("/tickets/?view=teams&priority=urgent&priority=high")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".ts-wrapper .item")).to_have_count(2)
    page.locator("#id_channel-ts-control").click()  # its list open, its options shown
    expect(page.locator("#id_channel-ts-dropdown").get_by_role("option").first).to_be_visible()
    assert _violations(page) == []


def test_without_scripts_the_native_multi_select_still_filters(browser, live_server, rep, team):
    make_ticket(team, subject="Server down", priority="urgent")
    make_ticket(team, subject="Refund", priority="high")
    make_ticket(team, subject="Password", priority="low")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, rep.username)
        page.goto("/tickets/?view=teams")
        expect(page.locator(".ts-wrapper")).to_have_count(0)
        page.select_option("#id_priority", ["high", "urgent"])
        page.get_by_role("button", name="Apply").click()
        expect(page).to_have_url(re.compile(r"priority=high&priority=urgent"))
        expect(page.locator("#results tbody tr")).to_have_count(2)
    finally:
        context.close()
