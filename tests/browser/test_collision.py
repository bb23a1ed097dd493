"""Two reps open the same ticket and each sees the other; one writes, the other sees it."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_reps_on_one_ticket_see_each_other_and_who_is_writing(new_page, rep, rep2, team):
    # given: two reps with names, one ticket
    for user, first, last in ((rep, "Rita", "Reyes"), (rep2, "Ralph", "Stone")):
        user.first_name, user.last_name = first, last
        user.save()
    ticket = make_ticket(team, subject="Card declined twice")
    caches["presence"].delete(f"ticket:{ticket.pk}")
    rita, ralph = new_page(), new_page()  # two browser contexts: two sessions
    login(rita, rep.username)
    login(ralph, rep2.username)

    # when: both open the ticket
    rita.goto(f"/tickets/{ticket.pk}/")
    ralph.goto(f"/tickets/{ticket.pk}/")

    # then: each sees the other within a few seconds (the page polls every 4 s)
    expect(ralph.locator(f"#presence [data-user='{rep.pk}']")).to_have_text("Rita Reyes is viewing")
    expect(rita.locator(f"#presence [data-user='{rep2.pk}']")).to_have_text(
        "Ralph Stone is viewing"
    )
    expect(rita.locator(f"#presence [data-user='{rep.pk}']")).to_have_count(0)

    # when: Ralph starts writing a reply
    ralph.fill("#reply-form textarea[name=body]", "Checking with the bank now")
    ralph.locator("#reply-form textarea[name=body]").press("Space")

    # then: Rita sees that he is writing
    expect(rita.locator(f"#presence [data-user='{rep2.pk}']")).to_have_text(
        "Ralph Stone is writing a reply…", timeout=10_000
    )

    # when: Ralph sends; Rita, who wrote meanwhile, sends hers
    ralph.click("#send")
    expect(ralph.locator(".conversation")).to_contain_text("Checking with the bank now")
    expect(rita.locator("#presence [data-presence=changed]")).to_contain_text(
        "Ralph Stone (Public reply)", timeout=10_000
    )
    rita.fill("#reply-form textarea[name=body]", "I will refund you today")
    rita.click("#send")

    # then: Rita is shown Ralph's reply first and asked before sending
    expect(rita.locator("#stale-changes")).to_contain_text("Checking with the bank now")
    expect(rita.locator("#reply-form textarea[name=body]")).to_have_value("I will refund you today")
    rita.click("#send")  # "Send anyway"
    expect(rita.locator(".conversation")).to_contain_text("I will refund you today")
    assert ticket.events.filter(type="public_reply").count() == 2
