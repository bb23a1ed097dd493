"""Webhook events of the SLA monitor (at risk, breached) and of survey answers, delivered
signed to a real HTTP receiver; each alert or answer is one event, however often the
monitor runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from csops.jobs import runner
from tests.factories import make_ticket
from tests.policies.sla_builders import make_policy
from tests.tickets.survey_helpers import invite
from tests.tickets.webhook_receiver import running_receiver
from tickets.services import surveys
from tickets.services.sla_monitor import run_monitor
from tickets.webhooks import services as webhooks
from tickets.webhooks.models import WebhookDelivery, WebhookEvent

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.JOB_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_TIMEOUT_SECONDS = 1


def test_sla_at_risk_and_breach_are_sent_once_each(director, rep, team):
    with time_machine.travel(T0, tick=False):
        make_policy(director)
        ticket = make_ticket(team, by=rep, assignee=rep)
    with running_receiver() as receiver:
        sub = webhooks.create_subscription(
            by=director, name="Pager", url=receiver.url, events=["sla.at_risk", "sla.breached"]
        )
        for minutes in (45, 50, 60, 61):
            run_monitor(T0 + timedelta(minutes=minutes))
        assert runner.run_due(budget_seconds=10) == 2
    bodies = [json.loads(r.body) for r in receiver.requests]
    assert [(b["type"], b["data"]["sla"]["kind"]) for b in bodies] == [
        ("sla.at_risk", "at_risk"),
        ("sla.breached", "breach"),
    ]
    assert all(r.verify(sub.secret) for r in receiver.requests)
    assert bodies[1]["data"]["ticket"]["id"] == ticket.pk
    assert bodies[1]["data"]["sla"]["at"] == (T0 + timedelta(minutes=60)).isoformat()
    assert WebhookDelivery.objects.filter(state="delivered").count() == 2


def test_a_survey_answer_is_sent_with_its_rating(director, rep, team):
    invitation = invite(team, rep)
    with running_receiver() as receiver:
        webhooks.create_subscription(
            by=director, name="CX", url=receiver.url, events=["survey.answered"]
        )
        response = surveys.record_response(invitation, rating=2, comment="Slow")
        runner.run_due(budget_seconds=10)  # the webhook delivery (and the survey's own jobs)
    assert len(receiver.requests) == 1
    body = json.loads(receiver.requests[0].body)
    assert body["type"] == "survey.answered"
    assert (body["data"]["survey"]["rating"], body["data"]["survey"]["comment"]) == (2, "Slow")
    assert body["data"]["ticket"]["id"] == invitation.ticket_id
    assert WebhookEvent.objects.get().source == f"survey-response:{response.pk}"
