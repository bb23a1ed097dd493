"""A manager spots an at-risk ticket in the queue (badge, filter, sort) and sees its live
countdown and audit trail in the workspace."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_ticket
from tests.policies.sla_builders import make_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_sees_an_at_risk_ticket_and_its_countdown(new_page, director, manager, team):
    # given a 60-minute first reply on a ticket created 50 minutes ago, and a fresh one
    created = (timezone.now() - timedelta(minutes=50)).replace(microsecond=0)
    with time_machine.travel(created, tick=False):
        make_policy(director, spec={"normal": {"first_reply": 60}})
        ticket = make_ticket(team, subject="Card declined twice")
    make_ticket(team, subject="Change my address")

    page = new_page()
    login(page, manager.username)
    # the queue shows the badge; the SLA filter keeps only the at-risk ticket
    row = page.locator("#results tbody tr", has_text="Card declined twice")
    expect(row.locator('[data-sla="at_risk"]')).to_have_text("SLA at risk")
    page.select_option("#id_sla", "at_risk")
    expect(page).to_have_url(re.compile(r"sla=at_risk"))
    expect(page.locator("#results tbody tr")).to_have_count(1)

    # the workspace shows the target, its state and a countdown that ticks
    page.click("text=Card declined twice")
    expect(page.locator("h1")).to_contain_text(f"#{ticket.pk} Card declined twice")
    target = page.locator('#sla-panel [data-metric="first_reply"]')
    expect(target.locator(".sla-state")).to_have_text("Active")
    expect(target.locator('[data-sla="at_risk"]')).to_have_text("At risk")
    countdown = target.locator(".sla-countdown")
    expect(countdown).to_have_text(re.compile(r"^(9|10) min \d\d s left$"))
    first = countdown.text_content()
    expect(countdown).not_to_have_text(first, timeout=3000)
    target.locator("summary", has_text="Audit trail").click()
    expect(target.locator('.sla-trail li[data-action="start"]')).to_contain_text("created")

    # after a reply (htmx re-renders #ticket) the target shows as met and the countdown is gone
    page.fill("textarea[name=body]", "We are checking with the bank.")
    page.click("button[name=send]")
    expect(target.locator(".sla-state")).to_have_text("Met")
    expect(target.locator(".sla-countdown")).to_have_count(0)
