"""Solve a ticket → a real Celery worker on Redis (its beat claims the survey's job row once
due) mails the survey through a real SMTP server after the configured delay → the customer
follows the link and answers."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from tests.factories import CustomerFactory, UserFactory, make_ticket
from tests.integration.worker import running_worker
from tests.tickets.smtp_peer import smtp_server
from tickets import services
from tickets.models import SurveyInvitation, SurveyResponse

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_solve_mails_survey_via_worker_and_smtp(team, monkeypatch, settings):
    rep = UserFactory(username="rita", role="Rep")
    team.members.add(rep)
    settings.CSAT_SURVEY_DELAY_SECONDS = 1
    with smtp_server() as (port, inbox):
        # the worker process reads its mail settings from the environment
        monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
        monkeypatch.setenv("EMAIL_HOST", "127.0.0.1")
        monkeypatch.setenv("EMAIL_PORT", str(port))
        monkeypatch.setenv("CSOPS_PUBLIC_URL", "http://support.example.com")
        monkeypatch.setenv("JOB_POLL_SECONDS", "1")
        with running_worker(beat=True):
            # when a rep solves the ticket (commits: the survey job is due a second later)
            ticket = make_ticket(team, requester=CustomerFactory(email="casey@example.org"))
            services.update_ticket(ticket.pk, by=rep, expected_version=None, status="solved")
            delivered = _wait_for(lambda: len(inbox) == 1)
    # then exactly one mail arrived, and the invitation is marked sent
    assert delivered, "the worker never mailed the survey"
    assert inbox[0]["To"] == "casey@example.org"
    assert SurveyInvitation.objects.get(ticket=ticket).sent_at is not None
    path = re.search(r"http://support\.example\.com(/survey/\S+/)", inbox[0].get_content())
    response = Client().post(path.group(1), {"rating": 1, "comment": "Still broken"})
    assert response.status_code == 200
    answer = SurveyResponse.objects.get(ticket=ticket)
    assert (answer.rating, answer.positive) == (1, False)
