"""A manager sets up their team's Slack channel on the chat page and sends a test message; a
real worker posts it to a real HTTP receiver as Slack blocks. Then a rep escalates a ticket
to the team's managers from the workspace: the channel hears of it, with a link back that
opens the ticket, and the channel's page logs both messages as delivered."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, wait_for
from tests.factories import make_ticket
from tests.integration.worker import running_worker
from tests.tickets.webhook_receiver import running_receiver
from tickets.chat.models import ChatChannel, ChatDelivery

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def _slack_title(body: dict) -> str:
    return body["blocks"][0]["text"]["text"]


def test_manager_sets_up_slack_sends_a_test_and_hears_an_escalation(
    new_page, live_server, rep, manager, team, settings
):
    settings.CSOPS_PUBLIC_URL = live_server.url  # the messages' links point at this server
    ticket = make_ticket(team, subject="Refund of 900 EUR")
    page = new_page()
    login(page, manager.username)
    with running_receiver() as slack, running_worker(beat=True, env={"JOB_POLL_SECONDS": "1"}):
        # The manager opens Chat from the menu and sets up Tier 1's Slack channel.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Chat").click()
        expect(page.locator("h1")).to_have_text("Chat channels")
        form = page.locator("#webhook-form")
        form.locator("#id_team").select_option(label="Tier 1")
        form.locator("#id_name").fill("#tier-1-alerts")
        form.locator("#id_kind").select_option("slack")
        form.locator("#id_url").fill(slack.url)
        form.get_by_label("Escalation to the team").check()
        form.get_by_label("SLA target breached").check()
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/tickets/chat/\d+/$"))
        expect(page.locator("#flash")).to_contain_text("Chat channel “#tier-1-alerts” created.")
        channel = ChatChannel.objects.get()
        assert (channel.team_id, channel.kind, channel.url) == (team.pk, "slack", slack.url)
        assert sorted(channel.events) == ["escalation", "sla.breached"]

        # "Send test message": the worker posts Slack blocks to the receiver.
        page.locator("#chat-test button").click()
        expect(page.locator("#flash")).to_contain_text("Test message queued")
        assert wait_for(lambda: len(slack.requests) == 1), "the test message never arrived"
        test = json.loads(slack.requests[0].body)
        assert slack.requests[0].headers["Content-Type"] == "application/json"
        chat_list = f"{live_server.url}/tickets/chat/"
        assert _slack_title(test) == f"*<{chat_list}|Test message for #tier-1-alerts>*"
        assert test["blocks"][1]["text"]["text"].startswith("Sent by ")

        # A rep escalates a ticket to the team's managers from the workspace.
        agent = new_page()
        login(agent, rep.username)
        agent.goto(f"/tickets/{ticket.pk}/")
        agent.click("#escalate-toggle")
        agent.check("input[name=target][value=manager]")
        escalate = agent.locator("#escalate-form")
        escalate.locator("select[name=category]").select_option("refund_approval")
        escalate.locator("textarea[name=reason]").fill("Above my refund limit")
        agent.click("#escalate-submit")

        # The channel hears of it, with a link back to the ticket.
        assert wait_for(lambda: len(slack.requests) == 2), "the escalation never arrived"
        body = json.loads(slack.requests[1].body)
    link = f"{live_server.url}/tickets/{ticket.pk}/"
    assert _slack_title(body) == (
        f"*<{link}|Escalated to managers of Tier 1: #{ticket.pk} Refund of 900 EUR>*"
    )
    assert body["blocks"][1]["text"]["text"] == "Needs refund approval: Above my refund limit"
    assert body["blocks"][3]["elements"][0]["url"] == link

    # The link opens the ticket for the manager; the channel's page logs both, delivered.
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Refund of 900 EUR")
    page.goto(f"/tickets/chat/{channel.pk}/")
    rows = page.locator("#chat-deliveries tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Escalated to managers of Tier 1")).to_contain_text("Delivered")
    expect(rows.filter(has_text="Test message for #tier-1-alerts")).to_contain_text("Delivered")
    expect(rows.first).to_contain_text("200")
    assert set(ChatDelivery.objects.values_list("state", flat=True)) == {"delivered"}
