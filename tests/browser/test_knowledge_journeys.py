"""Knowledge-base journeys in Chromium: a customer searches the help center, reads an
article and rates it (on a phone-sized screen); a manager writes an article that a director
approves and publishes after review; a rep inserts a suggested article into a reply."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

from policies.knowledge.models import Article, ArticleFeedback
from tests.browser.conftest import login
from tests.factories import CustomerFactory, make_ticket
from tests.policies.knowledge_helpers import live_article, section
from tickets.models import TicketEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    caches["ratelimit"].clear()


def test_a_customer_searches_reads_and_rates_an_article(browser, live_server, manager, director):
    live_article(manager, director, title="How long does a refund take?",
                 body="We refund within **2 business days** of receiving your return.")  # fmt: skip
    live_article(manager, director, title="Refund to a closed card")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/help/")
    expect(page.locator("#help-categories")).to_contain_text("Billing")
    page.fill("#help-q", "refund days")
    page.press("#help-q", "Enter")
    expect(page.locator("#results")).to_contain_text("How long does a refund take?")
    page.click("#results >> text=How long does a refund take?")
    expect(page.locator("#article-body strong")).to_have_text("2 business days")
    expect(page.locator("#related")).to_contain_text("Refund to a closed card")
    # nothing overflows sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.check("input[name=helpful][value=yes]")
    page.fill("textarea[name=comment]", "Clear, thanks")
    page.click("#feedback-send")
    expect(page.locator("#feedback-thanks")).to_be_visible()
    assert list(ArticleFeedback.objects.values_list("helpful", "comment")) == [
        (True, "Clear, thanks")
    ]
    context.close()


def test_a_manager_writes_an_article_a_director_publishes_it(new_page, manager, director):
    sec = section("Refunds", "Billing")
    page = new_page()
    login(page, manager.username)
    page.goto("/knowledge/")
    page.click("#new-article")
    page.fill("#id_title", "Refunds for gift cards")
    page.select_option("#id_section", str(sec.pk))
    page.select_option("#id_visibility", "public")
    page.fill("#id_body", "Gift cards are refunded as **store credit**.")
    page.click("#article-form button[type=submit]")
    expect(page.locator("#version-state")).to_have_text("Draft")
    page.click("#submit-review")
    expect(page.locator("#version-state")).to_have_text("In review")
    version_url = page.url

    boss = new_page()
    login(boss, director.username)
    boss.goto(version_url)
    boss.click("#approve")
    expect(boss.locator("#version-state")).to_have_text("Approved")
    boss.click("#publish")
    expect(boss.locator("#version-state")).to_have_text("Published")

    article = Article.objects.get(title="Refunds for gift cards")
    boss.goto(f"/help/a/{article.slug}/")
    expect(boss.locator("#article-body strong")).to_have_text("store credit")


def test_a_rep_inserts_a_suggested_article_into_a_reply(new_page, rep, manager, director, team):
    article = live_article(manager, director, title="Reset your password",
                           body="Use the reset link; it is valid for one hour.",
                           sec=section("Sign-in", "Account"))  # fmt: skip
    ticket = make_ticket(team, subject="Password reset link does not work",
                         requester=CustomerFactory(name="Ada Lovelace"))  # fmt: skip
    page = new_page()
    login(page, rep.username)
    page.goto(f"/tickets/{ticket.pk}/")
    panel = page.locator("#knowledge-panel")
    expect(panel).to_contain_text("Reset your password")
    page.fill("#reply-form [name=body]", "Hi Ada,")
    page.click(f"#knowledge-panel li[data-article='{article.pk}'] [data-insert=link]")
    expect(page.locator("#kb-status")).to_contain_text("inserted")
    body = page.locator("#reply-form [name=body]")
    expect(body).to_have_value(f"Hi Ada,\n\nReset your password: {page.url.split('/tickets')[0]}"
                               f"/help/a/{article.slug}/")  # fmt: skip
    page.click(f"#knowledge-panel button[data-link='{article.pk}']")
    expect(page.locator("#linked-articles")).to_contain_text("Reset your password")
    page.click("#reply-form button[name=send]")
    expect(page.locator(".message").last).to_contain_text(f"/help/a/{article.slug}/")
    assert TicketEvent.objects.filter(ticket=ticket, type="public_reply").count() == 1
