"""Chat notifications (tickets/chat) against a real HTTP receiver on a free port: Slack
blocks and Teams MessageCards with an absolute link back, for SLA breaches, escalations to
the team, incidents and spike alerts; only the concerned team's channels hear; retries after
a 500, pause after repeated failure, once per event; who may configure which team's channels
(page and API), the test button, hostile text escaped."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from csops.errors import InvalidInput, NotAllowed, NotFound
from csops.jobs import runner
from csops.models import Job, Notification
from csops.people import display_name
from policies.models import Category
from tests.factories import make_incident, make_ticket
from tests.policies.sla_builders import make_policy
from tests.tickets.webhook_receiver import running_receiver
from tickets.chat import formats
from tickets.chat import services as chat
from tickets.chat.models import ChatChannel, ChatDelivery, ChatDeliveryState
from tickets.services import escalations, incidents, spikes
from tickets.services.sla_monitor import run_monitor

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALL = ["sla.breached", "escalation", "incident", "spike"]


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.JOB_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_TIMEOUT_SECONDS = 1


def _channel(by, team, url: str, kind: str = "slack", events=ALL, **kw) -> ChatChannel:
    return chat.create_channel(
        by=by, team=team, name=kw.pop("name", "#support"), kind=kind, url=url, events=events, **kw
    )


def _bodies(receiver) -> list[dict]:
    return [json.loads(r.body) for r in receiver.requests]


def _slack_title(body: dict) -> str:
    return body["blocks"][0]["text"]["text"]


# --- Formats (pure) ----------------------------------------------------------------------


def test_slack_message_escapes_text_and_links_back():
    notice = formats.Notice(
        title="#7 <!channel> & <https://evil.example|click>",
        text="Refund > 100 <@U123>",
        url="http://127.0.0.1:8000/tickets/7/",
        facts=[("Team", "Tier 1")],
        tone="danger",
    )
    body = formats.slack(notice)
    assert body["text"] == (
        "#7 &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; "
        "http://127.0.0.1:8000/tickets/7/"
    )
    assert _slack_title(body) == (
        "*<http://127.0.0.1:8000/tickets/7/|#7 &lt;!channel&gt; &amp; "
        "&lt;https://evil.example|click&gt;>*"
    )
    assert body["blocks"][1]["text"] == {
        "type": "mrkdwn",
        "text": "Refund &gt; 100 &lt;@U123&gt;",
    }
    assert body["blocks"][2]["elements"] == [{"type": "mrkdwn", "text": "*Team:* Tier 1"}]
    assert body["blocks"][3]["elements"][0]["url"] == "http://127.0.0.1:8000/tickets/7/"


def test_teams_message_card_escapes_html_and_markdown():
    notice = formats.Notice(
        title="Incident declared: <b>Checkout</b> [down](http://x)",
        text="*Payments* fail",
        url="http://127.0.0.1:8000/tickets/incidents/3/",
        facts=[("Severity", "SEV1 — critical")],
        tone="danger",
    )
    card = formats.teams(notice)
    assert card["@type"] == "MessageCard"
    assert card["themeColor"] == "D93F0B"
    assert card["title"] == (
        "Incident declared: &lt;b&gt;Checkout&lt;/b&gt; \\[down\\]\\(http://x\\)"
    )
    assert card["text"] == "\\*Payments\\* fail"
    assert card["sections"] == [{"facts": [{"name": "Severity", "value": "SEV1 — critical"}]}]
    assert card["potentialAction"] == [
        {
            "@type": "OpenUri",
            "name": "Open in csops",
            "targets": [{"os": "default", "uri": "http://127.0.0.1:8000/tickets/incidents/3/"}],
        }
    ]


# --- Events to a real receiver -----------------------------------------------------------


def test_incident_declared_updated_resolved_reach_the_teams_channel(
    manager, director, team, other_team
):
    with running_receiver() as slack, running_receiver() as teams, running_receiver() as other:
        _channel(manager, team, slack.url)
        _channel(manager, team, teams.url, kind="teams", name="Tier 1 in Teams")
        _channel(director, other_team, other.url)  # another team's channel hears nothing
        incident = make_incident(manager, team, public=True)
        incidents.post_update(incident.pk, by=manager, body="Fixed for most cards.")
        incidents.resolve(incident.pk, by=manager)
        assert runner.run_due(budget_seconds=10) == 6
    url = f"http://127.0.0.1:8000/tickets/incidents/{incident.pk}/"
    assert [_slack_title(b) for b in _bodies(slack)] == [
        f"*<{url}|Incident declared: Checkout down>*",
        f"*<{url}|Incident updated: Checkout down>*",
        f"*<{url}|Incident resolved: Checkout down>*",
    ]
    assert _bodies(slack)[1]["blocks"][1]["text"]["text"] == "Fixed for most cards."
    assert [b["title"] for b in _bodies(teams)] == [
        "Incident declared: Checkout down",
        "Incident updated: Checkout down",
        "Incident resolved: Checkout down",
    ]
    assert _bodies(teams)[2]["themeColor"] == formats.TONE_COLOURS["good"]
    assert {r.headers["Content-Type"] for r in slack.requests} == {"application/json"}
    assert set(ChatDelivery.objects.values_list("state", flat=True)) == {"delivered"}
    assert other.requests == []


def test_only_the_concerned_team_hears_and_only_the_events_it_chose(
    manager, director, team, other_team
):
    with running_receiver() as ours, running_receiver() as theirs:
        _channel(manager, team, ours.url, events=["escalation"])
        _channel(director, other_team, theirs.url)
        make_incident(manager, team)  # the channel did not choose incidents
        assert runner.run_due(budget_seconds=10) == 0
    assert ours.requests == theirs.requests == []
    assert ChatDelivery.objects.count() == 0


def test_an_escalation_is_posted_to_the_team_it_went_to(rep, manager, team):
    with running_receiver() as receiver:
        _channel(manager, team, receiver.url, events=["escalation"])
        ticket = make_ticket(team, subject="Refund *now* <!here>")
        escalations.escalate(
            ticket.pk, by=rep, target="manager", category="refund_approval", reason="Over limit"
        )
        assert runner.run_due(budget_seconds=10) == 1
    (body,) = _bodies(receiver)
    assert _slack_title(body) == (
        f"*<http://127.0.0.1:8000/tickets/{ticket.pk}/|Escalated to managers of Tier 1: "
        f"#{ticket.pk} Refund *now* &lt;!here&gt;>*"
    )
    assert body["blocks"][1]["text"]["text"] == "Needs refund approval: Over limit"
    assert body["blocks"][2]["elements"] == [
        {"type": "mrkdwn", "text": "*From:* Tier 1"},
        {"type": "mrkdwn", "text": f"*Raised by:* {display_name(rep)}"},
    ]


def test_an_sla_breach_is_posted_once_however_often_the_monitor_runs(director, rep, manager, team):
    with time_machine.travel(T0, tick=False):
        make_policy(director)
        ticket = make_ticket(team, by=rep, assignee=rep)
    with running_receiver() as receiver:
        _channel(manager, team, receiver.url, events=["sla.breached"])
        for minutes in (45, 50, 60, 61, 90):
            run_monitor(T0 + timedelta(minutes=minutes))
        assert runner.run_due(budget_seconds=10) == 1
    (body,) = _bodies(receiver)
    assert _slack_title(body).startswith(
        f"*<http://127.0.0.1:8000/tickets/{ticket.pk}/|SLA breached: #{ticket.pk} "
    )
    assert body["blocks"][1]["text"]["text"].endswith("was due at 2026-03-02 10:00 UTC.")


def test_a_spike_alert_is_posted_to_the_teams_holding_its_tickets(manager, team, other_team):
    hour = datetime(2026, 3, 30, 14, 0, tzinfo=UTC)
    login = Category.objects.create(name="Login", slug="login")
    for i in range(5):
        with time_machine.travel(hour + timedelta(minutes=i), tick=False):
            make_ticket(team, category=login)
    with running_receiver() as ours, running_receiver() as theirs:
        _channel(manager, team, ours.url, events=["spike"])
        ChatChannel.objects.create(
            team=other_team, name="#billing", kind="slack", url=theirs.url, events=["spike"],
            created_by=manager, created_at=hour,
        )  # fmt: skip
        (alert,) = spikes.detect_spikes(hour)
        spikes.detect_spikes(hour)  # again: nothing new
        assert runner.run_due(budget_seconds=10) == 1
    (body,) = _bodies(ours)
    assert _slack_title(body) == (
        "*<http://127.0.0.1:8000/tickets/incidents/|Possible incident: 5 new tickets in "
        "category “Login”>*"
    )
    assert theirs.requests == []
    assert ChatDelivery.objects.get().source == f"spike:{alert.pk}"


def test_a_500_is_retried_then_delivered_and_logged(manager, team):
    with running_receiver(script=[500]) as receiver:
        _channel(manager, team, receiver.url)
        make_incident(manager, team)
        runner.run_due(budget_seconds=10)
    delivery = ChatDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    assert delivery.last_duration_ms is not None
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body  # the same bytes each try
    assert Job.objects.get(key=f"chat-delivery:{delivery.pk}").state == Job.State.DONE


def test_running_the_job_again_posts_nothing_twice(manager, team):
    with running_receiver() as receiver:
        _channel(manager, team, receiver.url)
        make_incident(manager, team)
        runner.run_due(budget_seconds=10)
        delivery = ChatDelivery.objects.get()
        assert chat.deliver(delivery.pk) == ChatDeliveryState.DELIVERED
    assert len(receiver.requests) == 1


def test_a_channel_that_keeps_failing_is_paused_and_the_managers_told(manager, team, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_PAUSE_AFTER = 2
    with running_receiver(default=500) as receiver:
        channel = _channel(manager, team, receiver.url)
        make_incident(manager, team, title="One")
        make_incident(manager, team, title="Two")
        runner.run_due(budget_seconds=10)
        make_incident(manager, team, title="Three")  # paused: nothing is queued
        runner.run_due(budget_seconds=10)
    channel.refresh_from_db()
    assert (channel.active, channel.failure_streak) == (False, 2)
    assert channel.paused_at is not None
    assert list(ChatDelivery.objects.values_list("state", flat=True)) == ["failed", "failed"]
    assert len(receiver.requests) == 4
    note = Notification.objects.get(user=manager)
    assert note.text.startswith("Chat channel “#support” of Tier 1 was paused")
    assert note.url == f"http://127.0.0.1:8000/tickets/chat/{channel.pk}/"
    # turning it on again clears the streak
    chat.update_channel(channel.pk, by=manager, active=True)
    channel.refresh_from_db()
    assert (channel.active, channel.failure_streak, channel.paused_at) == (True, 0, None)


def test_the_test_button_posts_to_that_channel_only(manager, team, manager_client):
    with running_receiver() as receiver, running_receiver() as other:
        channel = _channel(manager, team, receiver.url, kind="teams")
        _channel(manager, team, other.url, name="#other")
        response = manager_client.post(reverse("tickets:chat-test", args=[channel.pk]))
        assert response.status_code == 302
        runner.run_due(budget_seconds=10)
    (card,) = _bodies(receiver)
    assert card["title"] == "Test message for #support"
    assert other.requests == []
    page = manager_client.get(reverse("tickets:chat-detail", args=[channel.pk]))
    assert "Test message for #support" in page.content.decode()
    assert "Delivered" in page.content.decode()


# --- Who configures what -----------------------------------------------------------------


def test_a_manager_configures_only_their_teams_channels(manager, director, team, other_team, rep):
    theirs = _channel(director, other_team, "https://hooks.slack.com/services/T/B/x")
    with pytest.raises(NotAllowed, match="Only Billing's managers or a director"):
        _channel(manager, other_team, "https://hooks.slack.com/services/T/B/y")
    with pytest.raises(NotFound):
        chat.update_channel(theirs.pk, by=manager, name="mine now")
    with pytest.raises(NotFound):
        chat.send_test(theirs.pk, by=manager)
    with pytest.raises(NotAllowed):
        chat.channels_for(rep)
    ours = _channel(manager, team, "https://hooks.slack.com/services/T/B/z")
    with pytest.raises(NotAllowed):  # moving it to a team they do not manage
        chat.update_channel(ours.pk, by=manager, team=other_team)
    assert list(chat.channels_for(manager)) == [ours]
    assert set(chat.channels_for(director)) == {ours, theirs}


@pytest.mark.parametrize(
    ("_case", "changes", "field"),
    [
        ("blank name", {"name": "  "}, "name"),
        ("ftp url", {"url": "ftp://example.org/hook"}, "url"),
        ("javascript url", {"url": "javascript:alert(1)"}, "url"),
        ("no events", {"events": []}, "events"),
        ("unknown event", {"events": ["ticket.created"]}, "events"),
        ("unknown kind", {"kind": "irc"}, "kind"),
    ],
)
def test_bad_channel_fields_are_refused_by_name(manager, team, _case, changes, field):
    values = {"name": "#x", "kind": "slack", "url": "https://example.org/h", "events": ALL}
    with pytest.raises(InvalidInput) as refused:
        chat.create_channel(by=manager, team=team, **{**values, **changes})
    assert list(refused.value.fields) == [field]
    assert ChatChannel.objects.count() == 0


def test_the_page_creates_a_channel_and_shows_form_errors(manager_client, team):
    bad = manager_client.post(
        reverse("tickets:chat-list"),
        {"team": team.pk, "name": "#t1", "kind": "slack", "url": "ftp://x", "events": ["incident"]},
    )
    assert bad.status_code == 422
    assert "Enter an http:// or https:// URL." in bad.content.decode()
    good = manager_client.post(
        reverse("tickets:chat-list"),
        {"team": team.pk, "name": "#t1", "kind": "teams", "url": "https://example.org/h",
         "events": ["incident", "spike"], "active": "on"},
    )  # fmt: skip
    channel = ChatChannel.objects.get()
    assert good.status_code == 302
    assert (channel.kind, channel.events, channel.active) == ("teams", ["incident", "spike"], True)
    listing = manager_client.get(reverse("tickets:chat-list")).content.decode()
    assert "#t1" in listing
    assert "Microsoft Teams" in listing


def test_the_page_offers_a_manager_only_their_teams(manager_client, other_team, team):
    page = manager_client.get(reverse("tickets:chat-list"))
    choices = [str(t) for t in page.context["form"].fields["team"].queryset]
    assert choices == ["Tier 1"]
    refused = manager_client.post(
        reverse("tickets:chat-list"),
        {"team": other_team.pk, "name": "#b", "kind": "slack", "url": "https://e.org/h",
         "events": ["incident"]},
    )  # fmt: skip
    assert refused.status_code == 422
    assert ChatChannel.objects.count() == 0


# --- API -----------------------------------------------------------------------------------


def test_api_creates_lists_changes_tests_and_deletes(manager, team, other_team, manager_client):
    url = reverse("tickets-api:chat-channel-list")
    created = manager_client.post(
        url,
        {"team": team.pk, "name": "#t1", "kind": "slack", "url": "https://example.org/h",
         "events": ["incident"]},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["team_name"] == "Tier 1"
    assert manager_client.get(url).json()["results"][0]["id"] == pk
    detail = reverse("tickets-api:chat-channel-detail", args=[pk])
    patched = manager_client.patch(detail, {"active": False}, content_type="application/json")
    assert (patched.status_code, patched.json()["active"]) == (200, False)
    bad = manager_client.patch(detail, {"url": "ftp://x"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["fields"]["url"]
    other = manager_client.post(
        url,
        {"team": other_team.pk, "name": "#b", "kind": "slack", "url": "https://e.org/h",
         "events": ["incident"]},
        content_type="application/json",
    )  # fmt: skip
    assert other.status_code == 403
    assert other.json()["error"] == "not_allowed"
    test = manager_client.post(reverse("tickets-api:chat-channel-test", args=[pk]))
    assert (test.status_code, test.json()["event"], test.json()["state"]) == (
        202,
        "test",
        "pending",
    )
    deliveries = manager_client.get(reverse("tickets-api:chat-channel-deliveries", args=[pk]))
    assert [d["title"] for d in deliveries.json()["results"]] == ["Test message for #t1"]
    assert manager_client.delete(detail).status_code == 204
    assert ChatChannel.objects.count() == 0
    assert (
        manager_client.get(reverse("tickets-api:chat-channel-detail", args=["abc"])).status_code
        == 404
    )


# --- Admin ---------------------------------------------------------------------------------


def test_admin_lists_channels_with_their_deliveries_and_adds_one(
    admin_user, manager, team, client_for
):
    channel = _channel(manager, team, "http://127.0.0.1:9/")
    chat.send_test(channel.pk, by=manager)
    client = client_for(admin_user)
    listing = client.get(reverse("admin:tickets_chatchannel_changelist"))
    assert listing.status_code == 200
    assert "#support" in listing.content.decode()
    change = client.get(reverse("admin:tickets_chatchannel_change", args=[channel.pk]))
    assert "Test message" in change.content.decode()
    assert client.get(reverse("admin:tickets_chatdelivery_changelist")).status_code == 200
    added = client.post(
        reverse("admin:tickets_chatchannel_add"),
        {"team": team.pk, "name": "#admin", "kind": "teams", "url": "https://example.org/h",
         "events": '["incident"]', "active": "on", "created_by": manager.pk,
         "deliveries-TOTAL_FORMS": "0", "deliveries-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert added.status_code == 302, added.content[:500]
    made = ChatChannel.objects.get(name="#admin")
    assert (made.kind, made.events, made.created_at is not None) == ("teams", ["incident"], True)
