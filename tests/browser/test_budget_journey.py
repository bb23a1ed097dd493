"""A director opens the budget from the menu, enters a month's actual on a cost line and sees
the variance against plan on the budget page: in the line's month, its category and the year
so far."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from staffing.budget import services
from staffing.budget.models import LineMonth
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAR = date(2026, 3, 1)


def test_director_enters_an_actual_and_sees_the_variance(new_page, director, other_team):
    budget = services.create_budget(by=director, fiscal_year=2026, first_month=date(2026, 1, 1))
    seats = services.add_line(budget, by=director, category="tools", label="Seats", team=other_team)
    services.plan_line(seats, by=director, planned={MAR: Decimal("1000")}, actual={})

    page = new_page()
    login(page, director.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Budget").click()
    expect(page.locator("h1")).to_have_text("Budget")
    page.locator("#budgets").get_by_role("link", name="FY2026").click()
    expect(page.locator("#ytd-variance")).to_have_count(0)  # no actuals yet
    expect(page.locator("#summary")).to_contain_text("no actuals yet")

    # The director opens the line and enters March's actual: 1,250 against 1,000 planned.
    page.locator("#budget-grid").get_by_role("link", name="Seats").click()
    expect(page.locator("h1")).to_have_text("Seats")
    page.get_by_label("Mar 2026 actual").fill("1250")
    page.locator("#line-months-form button[type=submit]").click()

    # Back on the budget: the variance is +250 (+25 %) in March, for Tools and the year.
    expect(page.locator("#flash")).to_contain_text("“Seats” saved.")
    expect(page.locator("#ytd-variance")).to_have_text("+250.00, 25.0 %")
    expect(page.locator("#ytd-variance")).to_have_class("over")
    march = page.locator("#budget-grid tbody tr", has_text="Seats").locator("td").nth(2)
    expect(march).to_contain_text("1250")
    expect(march.locator("small.over")).to_have_text("+250")
    tools = page.locator("#categories tbody tr", has_text="Tools")
    expect(tools.locator("td").last).to_have_text("+250.00")
    assert LineMonth.objects.get(line=seats, month=MAR).actual == Decimal("1250")
