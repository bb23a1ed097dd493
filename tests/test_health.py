from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from csops.models import Heartbeat, Job
from csops.tasks import record_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_503_until_a_worker_reports():
    response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unhealthy"
    assert body["database"]["ok"] is True
    assert body["workers"] == {
        "ok": False,
        "last_heartbeat": None,
        "error": "no worker has reported yet",
    }


def test_healthz_is_200_with_fresh_heartbeat():
    record_heartbeat()  # what the beat-scheduled task does in a worker
    body = Client().get("/healthz").json()
    assert body["status"] == "ok"
    assert body["workers"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_reports_stale_worker():
    Heartbeat.objects.create(component="worker", seen_at=timezone.now() - timedelta(minutes=10))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["workers"]["ok"] is False


def test_anonymous_is_sent_to_login():
    response = Client().get("/tickets/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/tickets/"


def test_unknown_api_url_is_a_json_404(rep_client):
    response = rep_client.get("/api/v1/nope/")
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "detail": "No such API endpoint.",
        "fields": {},
    }


def test_healthz_reports_the_oldest_due_job():
    record_heartbeat()
    now = timezone.now()
    Job.objects.create(kind="x", key="a", due_at=now - timedelta(seconds=90), created_at=now)
    Job.objects.create(kind="x", key="b", due_at=now + timedelta(hours=1), created_at=now)
    body = Client().get("/healthz").json()
    assert 90 <= body["jobs"]["oldest_due_age_seconds"] < 120
    assert body["jobs"]["ok"] is True
    assert body["status"] == "ok"


def test_healthz_is_503_when_a_due_job_waits_too_long(settings):
    record_heartbeat()
    now = timezone.now()
    age = settings.JOB_STALE_AFTER_SECONDS + 60
    Job.objects.create(kind="x", key="a", due_at=now - timedelta(seconds=age), created_at=now)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["jobs"]["ok"] is False


def test_an_unhandled_api_error_answers_json(rep_client, monkeypatch):
    from tickets.api import views as api_views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api_views.TicketViewSet, "list", boom)
    rep_client.raise_request_exception = False
    response = rep_client.get("/api/v1/tickets/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "server_error"
