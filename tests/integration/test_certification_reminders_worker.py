"""A real worker on Redis runs the certification reminder task twice: one notice each."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from csops.models import Heartbeat, Notification
from csops.tasks import record_heartbeat
from staffing.tasks import send_certification_reminders
from tests.integration.worker import running_worker
from tests.staffing import builders

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_sends_the_30_day_reminder_once(rep, manager):
    # given a certification that expires in 25 days
    today = timezone.localdate()
    held = builders.held(
        rep, issued_on=today - timedelta(days=700), expires_on=today + timedelta(25)
    )
    # when a real worker runs the beat task twice (the solo worker runs its queue in order:
    # the heartbeat after them says both have finished)
    with running_worker():
        send_certification_reminders.delay()
        send_certification_reminders.delay()
        record_heartbeat.delay()
        assert _wait_for(lambda: Heartbeat.objects.filter(component="worker").exists())
    # then the holder and their manager got the 30-day reminder once each
    notices = Notification.objects.filter(key=f"staffcert:{held.pk}:30d")
    assert sorted(notices.values_list("user__username", flat=True)) == ["maria", "rita"]
    assert Notification.objects.filter(key__startswith="staffcert:").count() == 2
