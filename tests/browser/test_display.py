"""In the browser, the dashboard and the escalations board show people by name, metrics by
label and durations in one format: no username, metric key or stored value is visible."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_ticket
from tests.kpis.dashboard_data import build
from tests.kpis.engine_helpers import at
from tests.policies.sla_builders import make_policy
from tickets.services import escalations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = {"rita": ("Rita", "Reyes"), "otto": ("Otto", "Olsen"), "maria": ("Maria", "Moreno")}
RAW = (
    "first_reply",
    "requester_wait",
    "agent_work",
    "next_reply",
    "periodic_update",
    "unassigned",
    "[invalid name]",
)
# A duration is "45 min", "7.8 h" or "3.2 d": never minutes with decimals or beyond an hour.
DURATION = re.compile(r"< 1 min|\d+ min|\d+(\.\d)? h|\d+(\.\d)? d")
MIXED = re.compile(r"\b\d+\.\d+ min\b|\b\d{3,} min\b")


def named(*users) -> None:
    for user in users:
        user.first_name, user.last_name = NAMES[user.username]
        user.save(update_fields=["first_name", "last_name"])


def assert_reads_as_people_do(text: str) -> None:
    assert [u for u in NAMES if re.search(rf"\b{u}\b", text)] == []
    assert [k for k in RAW if k in text] == []
    assert MIXED.findall(text) == []


def test_dashboard_and_board_show_names_labels_and_one_duration_format(
    new_page, team, other_team, rep, rep_other_team, manager, director
):
    # given the hand-worked dashboard data under an SLA policy, and an accepted escalation
    named(rep, rep_other_team, manager)
    at(
        "2026-03-01T00:00:00+00:00",
        lambda: make_policy(
            director, spec={"normal": {"first_reply": 60, "requester_wait": 240, "agent_work": 120}}
        ),
    )
    build(team, other_team, rep, rep_other_team)
    e = escalations.escalate(
        make_ticket(team).pk, by=rep, target="manager", category="legal", reason="Threat"
    )
    escalations.accept(e.pk, by=manager)

    # when the director reads the dashboard for the data's day
    page = new_page()
    login(page, director.username)
    page.goto("/kpis/?preset=custom&start=2026-03-02&end=2026-03-02")
    expect(page.locator("#table-agent table")).to_be_visible(timeout=20_000)
    expect(page.locator("#table-team table")).to_be_visible(timeout=20_000)
    # then
    expect(page.locator("#tile-first_reply_median .tile-value")).to_have_text("30 min")
    expect(page.locator("#sla-table")).to_contain_text("First reply")
    expect(page.locator("#sla-table")).to_contain_text("Requester wait")
    agents = page.locator("#table-agent tbody tr td:first-child")
    expect(agents.last).to_have_text("Unassigned")
    expect(page.locator("#table-agent")).to_contain_text("Rita Reyes")
    assert_reads_as_people_do(page.inner_text("main"))
    # the charts' duration axis reads in the same format
    ticks = page.evaluate(
        "() => document.getElementById('chart-first_reply_median').chart"
        ".scales.y.ticks.map((t) => t.label)"
    )
    assert ticks
    assert [t for t in ticks if not DURATION.fullmatch(t)] == []

    # and the drill-down of the first-reply tile
    page.click("#tile-first_reply_median")
    expect(page.locator("#drill-table")).to_be_visible()
    expect(page.locator("#drill-table")).to_contain_text("1.5 h")
    drill = page.inner_text("main")
    assert_reads_as_people_do(drill)
    assert not re.search(r"\b(open|solved|email|web)\b", page.inner_text("#drill-table tbody"))

    # when the manager opens the escalations board
    board = new_page()
    login(board, manager.username)
    board.goto("/tickets/escalations/")
    row = board.locator(f"#escalation-{e.pk}")
    expect(row).to_contain_text("Rita Reyes")
    expect(row).to_contain_text("Maria Moreno")
    expect(board.locator("label[for=id_sort]")).to_have_text("Sort by")
    assert_reads_as_people_do(board.inner_text("main"))
