from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from csops.models import Heartbeat
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
