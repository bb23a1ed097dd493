"""A director subscribes to the weekly KPI digest from the dashboard, asks for a preview and
unsubscribes, each with its confirmation at once (htmx); the panel fits a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kpis.digests.models import DigestSubscription
from tests.browser.conftest import login
from tickets.mail.models import OutboundMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_subscribes_previews_and_unsubscribes(new_page, team, director):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, director.username)
    page.goto("/kpis/")
    panel = page.locator("#digest-panel")
    expect(panel.locator("h2")).to_have_text("KPI digest by email", timeout=20_000)
    # subscribe: weekly, Tier 1 only
    page.select_option("#id_cadence", "weekly")
    panel.get_by_label("Tier 1").check()
    page.click("#digest-subscribe")
    expect(page.locator("#flash")).to_contain_text("Subscribed: your weekly KPI digest.")
    sub = DigestSubscription.objects.get(user=director)
    item = page.locator(f"#digest-{sub.pk}")
    expect(item).to_contain_text("Weekly: Tier 1 (one section each)")
    # the panel fits the phone's width
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    # a preview now
    page.click(f"#digest-preview-{sub.pk}")
    expect(page.locator("#flash")).to_contain_text("A preview is on its way to diane@")
    assert (
        OutboundMessage.objects.filter(kind="digest", subject__startswith="[Preview]").count() == 1
    )
    # unsubscribe
    page.click(f"#digest-unsubscribe-{sub.pk}")
    expect(page.locator("#flash")).to_contain_text("Unsubscribed from your weekly digest.")
    expect(item).to_contain_text("unsubscribed")
    assert DigestSubscription.objects.get(pk=sub.pk).active is False
