"""A real Celery worker on real Redis runs a task that the web side then sees."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from csops.models import Heartbeat
from csops.tasks import record_heartbeat
from tests.integration.worker import running_worker

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_heartbeat_turns_healthz_green():
    # given no worker has ever reported
    assert Client().get("/healthz").status_code == 503
    # when a real worker on Redis runs the heartbeat task
    with running_worker():
        record_heartbeat.delay()
        seen = _wait_for(lambda: Heartbeat.objects.filter(component="worker").exists())
    # then the health check reports the worker alive
    assert seen, "the worker never recorded a heartbeat"
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["workers"]["ok"] is True
