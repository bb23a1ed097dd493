"""Outgoing webhooks (tickets/webhooks) against a real HTTP receiver on a free port: signed
deliveries, retries after a 500 and after a timeout, pause after repeated failure, exactly
once in the delivery log when the job runs twice (also at the same time), and which ticket
and incident events reach which subscription."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from csops.errors import InvalidInput, NotAllowed
from csops.jobs import runner
from csops.jobs.registry import lookup
from csops.models import Job, Notification
from tests.factories import CustomerFactory, make_incident, make_ticket
from tests.tickets.webhook_receiver import running_receiver
from tickets import services
from tickets.services import escalations, incidents
from tickets.webhooks import services as webhooks
from tickets.webhooks import signing
from tickets.webhooks.models import (
    SUBSCRIBABLE,
    DeliveryAttempt,
    DeliveryState,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.JOB_RETRY_BASE_SECONDS = 0  # a failed try is due again at once
    settings.WEBHOOK_TIMEOUT_SECONDS = 1


def _subscribe(director, url: str, events=("ticket.created",), **kw):
    return webhooks.create_subscription(by=director, name="CRM", url=url, events=list(events), **kw)


def _attempts(delivery: WebhookDelivery) -> list[tuple[int | None, str]]:
    return [
        (a.status_code, a.error[:12])
        for a in DeliveryAttempt.objects.filter(delivery=delivery).order_by("number")
    ]


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    # given a secret, a timestamp and a body, worked out by hand with hmac
    expected = hmac.new(b"s3cret", b"1700000000.{}", hashlib.sha256).hexdigest()
    # then
    assert signing.signature("s3cret", 1700000000, b"{}") == f"sha256={expected}"
    assert signing.verify(
        "s3cret", timestamp="1700000000", body=b"{}", signature_header=f"sha256={expected}",
        now=1700000100,
    )  # fmt: skip
    # a changed body, another secret, or an old (replayed) timestamp is refused
    sig = f"sha256={expected}"
    assert not signing.verify("s3cret", timestamp="1700000000", body=b"{ }",
                              signature_header=sig, now=1700000100)  # fmt: skip
    assert not signing.verify("other", timestamp="1700000000", body=b"{}",
                              signature_header=sig, now=1700000100)  # fmt: skip
    assert not signing.verify("s3cret", timestamp="1700000000", body=b"{}",
                              signature_header=sig, now=1700000000 + 301)  # fmt: skip


def test_ticket_created_is_delivered_signed_to_a_real_receiver(team, director):
    with running_receiver() as receiver:
        # given a subscription to ticket.created
        sub = _subscribe(director, receiver.url)
        # when a ticket is created and the due jobs run
        ticket = make_ticket(team, subject="Refund please")
        assert runner.run_due(budget_seconds=10) == 1
    # then the receiver got one signed request naming the delivery
    delivery = WebhookDelivery.objects.get(subscription=sub)
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request.verify(sub.secret)
    assert not request.verify("another secret")
    assert request.delivery == str(delivery.uuid)
    assert request.headers[signing.EVENT_HEADER] == "ticket.created"
    body = json.loads(request.body)
    assert body["id"] == str(delivery.uuid)
    assert body["type"] == "ticket.created"
    assert body["data"]["ticket"]["id"] == ticket.pk
    assert body["data"]["ticket"]["subject"] == "Refund please"
    assert body["data"]["ticket"]["url"].endswith(f"/tickets/{ticket.pk}/")
    assert body["data"]["log_entry"]["type"] == "created"
    # and the delivery log shows it delivered after one attempt with its status code
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert _attempts(delivery) == [(200, "")]


def test_a_500_is_retried_and_then_delivered(team, director):
    with running_receiver(script=[500]) as receiver:
        sub = _subscribe(director, receiver.url)
        make_ticket(team)
        runner.run_due(budget_seconds=10)
    delivery = WebhookDelivery.objects.get(subscription=sub)
    assert [a for a, _ in _attempts(delivery)] == [500, 200]
    assert delivery.state == DeliveryState.DELIVERED
    # the same delivery id on both tries, each signed
    assert [r.delivery for r in receiver.requests] == [str(delivery.uuid)] * 2
    assert all(r.verify(sub.secret) for r in receiver.requests)
    assert Job.objects.get(key=f"webhook-delivery:{delivery.pk}").state == Job.State.DONE


def test_a_delivery_refused_with_413_is_recorded_and_retried(team, director):
    # a receiver behind a proxy whose body limit answers 413 without reading the body
    with running_receiver(script=[("refuse", 413)]) as receiver:
        sub = _subscribe(director, receiver.url)
        make_ticket(team)
        runner.run_due(budget_seconds=10)
    delivery = WebhookDelivery.objects.get(subscription=sub)
    attempts = DeliveryAttempt.objects.filter(delivery=delivery).order_by("number")
    assert [(a.status_code, a.error) for a in attempts] == [
        (413, "HTTP 413 Request Entity Too Large"),
        (200, ""),
    ]
    assert delivery.state == DeliveryState.DELIVERED
    assert len(receiver.requests) == 2


def test_a_timeout_is_retried_and_then_delivered(team, director):
    # the receiver answers the first request after 2.5 s; the sender waits 1 s
    with running_receiver(script=[("sleep", 2.5)]) as receiver:
        sub = _subscribe(director, receiver.url)
        make_ticket(team)
        runner.run_due(budget_seconds=15)
    delivery = WebhookDelivery.objects.get(subscription=sub)
    attempts = list(DeliveryAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [a.status_code for a in attempts] == [None, 200]
    assert "timed out" in attempts[0].error
    assert 900 <= attempts[0].duration_ms < 2500
    assert delivery.state == DeliveryState.DELIVERED


def test_repeated_failure_pauses_the_subscription_and_tells_its_owner(team, director, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_PAUSE_AFTER = 3
    with running_receiver(default=500) as receiver:
        sub = _subscribe(director, receiver.url)
        for n in range(4):
            make_ticket(team, subject=f"Broken {n}")
        runner.run_due(budget_seconds=20)
    sub.refresh_from_db()
    states = sorted(
        WebhookDelivery.objects.filter(subscription=sub).values_list("state", flat=True)
    )
    # three deliveries failed for good (2 tries each), the fourth was cancelled by the pause
    assert states == ["cancelled", "failed", "failed", "failed"]
    assert (sub.active, sub.failure_streak, sub.paused_at is not None) == (False, 3, True)
    notes = Notification.objects.filter(user=director, key__startswith=f"webhook-paused:{sub.pk}:")
    assert notes.count() == 1
    assert "was paused" in notes.get().text
    assert len(receiver.requests) <= 3 * 2 + 1
    # a paused subscription gets no new deliveries; turning it on clears the streak
    make_ticket(team, subject="While paused")
    assert WebhookDelivery.objects.filter(subscription=sub).count() == 4
    sub = webhooks.update_subscription(sub.pk, by=director, active=True)
    assert (sub.active, sub.failure_streak, sub.paused_at) == (True, 0, None)


def test_a_delivered_event_resets_the_failure_streak(team, director, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    with running_receiver(script=[500]) as receiver:
        sub = _subscribe(director, receiver.url)
        make_ticket(team)
        runner.run_due(budget_seconds=10)
        sub.refresh_from_db()
        assert sub.failure_streak == 1
        make_ticket(team)
        runner.run_due(budget_seconds=10)
    sub.refresh_from_db()
    assert (sub.failure_streak, sub.active) == (0, True)


def test_running_the_job_twice_delivers_once(team, director):
    with running_receiver() as receiver:
        sub = _subscribe(director, receiver.url)
        make_ticket(team)
        delivery = WebhookDelivery.objects.get(subscription=sub)
        handler = lookup(webhooks.DELIVER)
        handler({"delivery": delivery.pk})
        handler({"delivery": delivery.pk})  # e.g. re-driven after its lease
        runner.run_due(budget_seconds=10)  # and the job row itself
    assert len(receiver.requests) == 1
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 1)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_of_one_delivery_send_it_once(team, director):
    # given a slow receiver, so the first run still holds the row when the second starts
    with running_receiver(default=("sleep", 0.5)) as receiver:
        sub = _subscribe(director, receiver.url)
        make_ticket(team)
        delivery = WebhookDelivery.objects.get(subscription=sub)
        results: list[str | None] = []

        def run() -> None:
            try:
                results.append(webhooks.deliver(delivery.pk))
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert results == ["delivered", "delivered"]
    assert len(receiver.requests) == 1
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 1


def test_each_ticket_action_is_fanned_out_as_its_event_type(team, rep, director):
    sub = _subscribe(director, "http://127.0.0.1:9/", events=SUBSCRIBABLE)
    customer = CustomerFactory()
    # when a ticket goes through its life
    ticket = make_ticket(team, requester=customer)
    services.reply(ticket.pk, by=rep, body="We are on it.")  # new -> open, agent reply
    services.customer_reply(ticket.pk, customer=customer, body="Still broken")
    escalations.escalate(
        ticket.pk, by=rep, target="manager", category="technical", reason="Needs a fix"
    )
    ticket.refresh_from_db()
    services.update_ticket(ticket.pk, by=rep, expected_version=ticket.version, status="solved")
    # then each event of the log that is sent became one delivery of its type, in order
    types = list(
        WebhookDelivery.objects.filter(subscription=sub)
        .order_by("pk")
        .values_list("event__type", flat=True)
    )
    assert types[0] == "ticket.created"
    assert "customer.replied" in types
    assert "escalation.raised" in types
    assert types[-1] == "ticket.solved"
    assert "ticket.updated" in types
    # every delivery has its job, and an event is recorded once per source
    keys = set(Job.objects.filter(kind=webhooks.DELIVER).values_list("key", flat=True))
    assert keys == {f"webhook-delivery:{pk}" for pk in sub.deliveries.values_list("pk", flat=True)}
    sources = list(WebhookEvent.objects.values_list("source", flat=True))
    assert len(sources) == len(set(sources)) == len(types)


def test_only_subscribed_types_and_active_subscriptions_get_deliveries(team, director):
    created = _subscribe(director, "http://127.0.0.1:9/a", events=["ticket.created"])
    solved = _subscribe(director, "http://127.0.0.1:9/b", events=["ticket.solved"])
    off = _subscribe(director, "http://127.0.0.1:9/c", events=SUBSCRIBABLE, active=False)
    make_ticket(team)
    assert created.deliveries.count() == 1
    assert solved.deliveries.count() == 0
    assert off.deliveries.count() == 0


def test_incident_declared_updated_and_resolved_are_sent(team, manager, director):
    sub = _subscribe(director, "http://127.0.0.1:9/", events=[
        "incident.declared", "incident.updated", "incident.resolved",
    ])  # fmt: skip
    incident = make_incident(manager, team)
    incidents.edit(incident.pk, by=manager, severity="sev2")
    incidents.post_update(incident.pk, by=manager, body="A fix is rolling out.")
    incidents.resolve(incident.pk, by=manager)
    events = list(
        WebhookEvent.objects.filter(deliveries__subscription=sub)
        .order_by("pk")
        .values_list("type", "payload")
    )
    assert [t for t, _ in events] == [
        "incident.declared", "incident.updated", "incident.updated", "incident.resolved"
    ]  # fmt: skip
    assert events[1][1]["change"] == {"fields": {"severity": ["sev1", "sev2"]}}
    assert events[2][1]["change"] == {"update": "A fix is rolling out."}
    assert events[3][1]["incident"]["state"] == "resolved"


def test_send_test_event_reaches_a_paused_subscription(director):
    with running_receiver() as receiver:
        sub = _subscribe(director, receiver.url, active=False)
        delivery = webhooks.send_test(sub.pk, by=director)
        runner.run_due(budget_seconds=10)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert json.loads(receiver.requests[0].body)["type"] == "webhook.test"
    assert receiver.requests[0].verify(sub.secret)


@pytest.mark.parametrize("persona", ["rep", "manager"])
def test_only_directors_and_admins_manage_subscriptions(persona, request, director, admin_user):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed, match="Only directors and admins manage webhooks."):
        _subscribe(user, "http://127.0.0.1:9/")
    sub = _subscribe(admin_user, "http://127.0.0.1:9/")
    for call in (
        lambda: webhooks.update_subscription(sub.pk, by=user, active=False),
        lambda: webhooks.send_test(sub.pk, by=user),
        lambda: webhooks.delete_subscription(sub.pk, by=user),
    ):
        with pytest.raises(NotAllowed):
            call()
    sub.refresh_from_db()
    assert sub.active is True


def test_invalid_subscription_names_its_fields(director):
    with pytest.raises(InvalidInput) as exc:
        webhooks.create_subscription(by=director, name=" ", url="ftp://x", events=["nope"])
    assert exc.value.fields == {
        "name": ["This field is required."],
        "url": ["Enter an http:// or https:// URL."],
        "events": ["Unknown event: nope."],
    }


# Pages and API


def test_director_creates_a_webhook_on_the_page_and_sends_a_test(director_client, director):
    # when a director creates a subscription through the page
    response = director_client.post(
        reverse("tickets:webhook-list"),
        {"name": "Slack bridge", "url": "https://hooks.example.org/in", "events": [
            "ticket.created", "ticket.solved"], "active": "on"},
    )  # fmt: skip
    sub = WebhookSubscription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:webhook-detail", args=[sub.pk])
    assert (sub.name, sub.events, sub.active, sub.owner) == (
        "Slack bridge", ["ticket.created", "ticket.solved"], True, director
    )  # fmt: skip
    assert len(sub.secret) >= 40
    # and presses "Send test event"
    response = director_client.post(reverse("tickets:webhook-test", args=[sub.pk]))
    assert response.status_code == 302
    delivery = sub.deliveries.get()
    assert delivery.event.type == "webhook.test"
    # the detail page lists the delivery
    page = director_client.get(reverse("tickets:webhook-detail", args=[sub.pk]))
    assert page.status_code == 200
    assert f'data-delivery="{delivery.uuid}"' in page.content.decode()


def test_page_form_errors_answer_422(director_client):
    response = director_client.post(
        reverse("tickets:webhook-list"), {"name": "X", "url": "ftp://x.example", "events": []}
    )
    assert response.status_code == 422
    assert WebhookSubscription.objects.count() == 0
    assert response.context["form"].errors == {
        "url": ["Enter an http:// or https:// URL."],
        "events": ["This field is required."],
    }


def test_manager_cannot_use_the_webhooks_page_or_api(manager_client, director):
    sub = _subscribe(director, "http://127.0.0.1:9/")
    assert manager_client.get(reverse("tickets:webhook-list")).status_code == 403
    response = manager_client.post(
        "/api/v1/webhooks/",
        {"name": "Mine", "url": "https://x.example/", "events": ["ticket.created"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Only directors and admins manage webhooks."
    response = manager_client.patch(
        f"/api/v1/webhooks/{sub.pk}/", {"active": False}, content_type="application/json"
    )
    assert response.status_code == 403
    assert WebhookSubscription.objects.filter(active=True).count() == 1


def test_api_manages_subscriptions_and_lists_deliveries(director_client, director, team):
    # create
    response = director_client.post(
        "/api/v1/webhooks/",
        {"name": "CRM", "url": "http://127.0.0.1:9/x", "events": ["ticket.created"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["events"], body["active"]) == ("CRM", ["ticket.created"], True)
    assert body["owner"] == director.username
    pk = body["id"]
    # a wrong event type is a 400 naming the field
    response = director_client.post(
        "/api/v1/webhooks/",
        {"name": "CRM", "url": "http://127.0.0.1:9/x", "events": ["ticket.exploded"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"events.0": ['"ticket.exploded" is not a valid choice.']}
    # change only what is named
    response = director_client.patch(
        f"/api/v1/webhooks/{pk}/", {"active": False}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["active"], response.json()["name"]) == (False, "CRM")
    # deliveries with their attempts, and a test event
    director_client.patch(
        f"/api/v1/webhooks/{pk}/", {"active": True}, content_type="application/json"
    )
    make_ticket(team)
    response = director_client.post(f"/api/v1/webhooks/{pk}/test/")
    assert response.status_code == 202
    assert response.json()["type"] == "webhook.test"
    listed = director_client.get(f"/api/v1/webhooks/{pk}/deliveries/").json()
    assert [d["type"] for d in listed["results"]] == ["webhook.test", "ticket.created"]
    assert listed["results"][0]["attempt_log"] == []
    # delete
    assert director_client.delete(f"/api/v1/webhooks/{pk}/").status_code == 204
    assert not WebhookSubscription.objects.filter(pk=pk).exists()


def test_api_answers_404_for_a_missing_subscription_before_reading_a_body(director_client):
    url = "/api/v1/webhooks/999999/"
    answers = [
        director_client.get(url),
        director_client.patch(url, {"events": "bad"}, content_type="application/json"),
        director_client.get(f"{url}deliveries/"),
        director_client.post(f"{url}test/"),
        director_client.delete(url),
    ]
    assert [r.status_code for r in answers] == [404] * 5
    assert {r.json()["detail"] for r in answers} == {"Webhook subscription #999999 does not exist."}


def test_admin_creates_a_subscription_through_the_service_and_reads_deliveries(admin_user, team):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/admin/tickets/webhooksubscription/add/",
        {"name": "Warehouse", "url": "https://wh.example.org/in", "events": ["ticket.created"],
         "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:500]
    sub = WebhookSubscription.objects.get()
    assert (sub.owner, sub.events, len(sub.secret) >= 40) == (admin_user, ["ticket.created"], True)
    # an ftp URL is a form error, not a saved row
    response = client.post(
        f"/admin/tickets/webhooksubscription/{sub.pk}/change/",
        {"name": "Warehouse", "url": "ftp://wh.example.org/", "events": ["ticket.created"]},
    )
    assert response.status_code == 200
    assert "Enter an http:// or https:// URL." in response.content.decode()
    sub.refresh_from_db()
    assert sub.url == "https://wh.example.org/in"
    make_ticket(team)
    assert client.get("/admin/tickets/webhookdelivery/").status_code == 200
    delivery = sub.deliveries.get()
    assert client.get(f"/admin/tickets/webhookdelivery/{delivery.pk}/change/").status_code == 200
