"""A real worker on Redis runs the overdue-acknowledgment reminder task, twice: one notice."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from csops.models import Heartbeat, Notification
from csops.tasks import record_heartbeat
from policies.models import Acknowledgment
from policies.tasks import send_acknowledgment_reminders
from tests.integration.worker import running_worker
from tests.policies.documents_helpers import published


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_worker_sends_each_overdue_reminder_once(manager, director, rep, team):
    # given a version the team had to acknowledge by yesterday
    version = published(manager, director, ack_required=True, ack_teams=[team])
    Acknowledgment.objects.filter(version=version).update(due_at=timezone.now() - timedelta(days=1))
    # when a real worker runs the beat task twice (results are not stored: the solo worker
    # runs its queue in order, so the heartbeat after them says both have finished)
    with running_worker():
        send_acknowledgment_reminders.delay()
        send_acknowledgment_reminders.delay()
        record_heartbeat.delay()
        assert _wait_for(lambda: Heartbeat.objects.filter(component="worker").exists())
    # then each overdue person got exactly one reminder
    notices = Notification.objects.filter(key=f"policy-ack-overdue:{version.pk}")
    assert sorted(notices.values_list("user__username", flat=True)) == ["maria", "rita"]
