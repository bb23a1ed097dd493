"""The Celery app and its beat schedule (every periodic task is listed here)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")

app = Celery("csops", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Proves to /healthz that beat and a worker are alive.
    "record-worker-heartbeat": {"task": "csops.tasks.record_heartbeat", "schedule": 30.0},
}
