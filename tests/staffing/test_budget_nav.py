"""The top navigation's "Budget" item is there exactly for who reads budgets (managers their
teams', directors and admins all) and leads to the budget page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from staffing.budget.permissions import can_read_budgets

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["rep", "manager", "director", "admin_user"])
def test_budget_is_in_the_menu_of_who_reads_budgets(persona, request, client_for):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    nav = client.get(reverse("notifications")).context["nav"]
    budget = [item for item in nav if item["label"] == "Budget"]
    assert bool(budget) is can_read_budgets(user) is (persona != "rep")
    if budget:
        assert budget[0]["url"] == reverse("staffing:budget-home")
        page = client.get(budget[0]["url"])
        assert page.status_code == 200
        assert [i["label"] for i in page.context["nav"] if i["active"]] == ["Budget"]
