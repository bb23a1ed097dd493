from __future__ import annotations

import socket

from celery import shared_task
from django.utils import timezone

from csops.models import Heartbeat


@shared_task(name="csops.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat() -> None:
    Heartbeat.objects.update_or_create(
        component="worker",
        defaults={"seen_at": timezone.now(), "hostname": socket.gethostname()},
    )
