"""The Celery app and its beat schedule (every periodic task is listed here)."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import (
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
    worker_shutting_down,
)
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")

app = Celery("csops", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules beside tasks.py: tickets/tasks_escalations.py (urgent-no-reply rules),
# tickets/tasks_incidents.py (spike detection). Deliveries and mails are job rows (csops.jobs).
app.autodiscover_tasks(related_name="tasks_escalations")
app.autodiscover_tasks(related_name="tasks_incidents")
app.autodiscover_tasks(["tickets.routing"])  # tickets/routing/tasks.py
app.autodiscover_tasks(["tickets.mail.inbound"])  # the mailbox polls' beat task
app.autodiscover_tasks(["kpis.digests"])  # the KPI digests' beat task
app.autodiscover_tasks(["tickets.attachments"])  # the orphaned-file cleanup's beat task


@worker_process_init.connect
def _start_child_job_threads(**kwargs) -> None:
    """Each process that runs tasks runs due jobs in threads of its own (PostgreSQL only;
    csops/jobs/dispatcher.py): here a prefork child; a solo worker starts them once ready,
    after it forked its embedded beat."""
    from billiard.process import current_process

    from csops.jobs import dispatcher

    if current_process().name != "MainProcess":
        dispatcher.start()


@worker_ready.connect
def _start_solo_job_threads(sender, **kwargs) -> None:
    from celery.concurrency.solo import TaskPool as SoloPool

    from csops.jobs import dispatcher

    if isinstance(sender.pool, SoloPool):
        dispatcher.start()


@worker_shutting_down.connect
@worker_process_shutdown.connect
def _stop_job_threads(**kwargs) -> None:
    from csops.jobs import dispatcher

    dispatcher.stop()


@worker_ready.connect
def _report_alive(sender, **kwargs) -> None:
    """Record a heartbeat as soon as a worker is up, not only at the first beat."""
    sender.app.send_task("csops.tasks.record_heartbeat")


app.conf.beat_schedule = {
    # Every minute: apply urgent-no-reply escalation rules (once per unanswered message).
    "check-urgent-no-reply": {"task": "tickets.check_urgent_no_reply", "schedule": 60.0},
    # Hourly at :05: "possible incident" alerts for the last complete hour's ticket spikes.
    "detect-ticket-spikes": {
        "task": "tickets.detect_ticket_spikes",
        "schedule": crontab(minute=5),
    },
    # Durable jobs (csops.jobs): claim due rows, including those whose worker died.
    "run-due-jobs": {
        "task": "csops.tasks.run_due_jobs",
        "schedule": float(settings.JOB_POLL_SECONDS),
    },
    # Inbound mail: make each enabled mailbox's poll job due (tickets/mail/inbound/poll.py).
    "enqueue-mailbox-polls": {
        "task": "tickets.enqueue_mailbox_polls",
        "schedule": float(settings.MAILBOX_POLL_SECONDS),
    },
    # KPI digests: make the digest run due; it mails each subscription's last complete week
    # or month once (kpis/digests/services.py).
    "enqueue-kpi-digests": {
        "task": "kpis.enqueue_digest_run",
        "schedule": float(settings.DIGEST_RUN_SECONDS),
    },
    # KPI engine: fold dirty rollup buckets (a refresh also folds; this catches the rest).
    "fold-kpi-rollups": {"task": "kpis.tasks.fold_dirty_buckets", "schedule": 10.0},
    # Every minute: count new arrivals per half hour (the planning forecast's input).
    "fold-arrivals": {"task": "kpis.tasks.fold_arrivals", "schedule": 60.0},
    # KPI engine: recompute tickets whose metrics are older than their log (lost messages).
    "sweep-stale-kpis": {
        "task": "kpis.tasks.sweep_stale_metrics",
        "schedule": float(settings.KPI_SWEEP_SECONDS),
    },
    # KPI engine: resume a rebuild whose worker died mid-chunk.
    "resume-kpi-rebuilds": {"task": "kpis.tasks.resume_rebuilds", "schedule": 60.0},
    # Daily at 04:20: delete finished jobs older than JOB_RETENTION_DAYS.
    "purge-finished-jobs": {
        "task": "csops.tasks.purge_finished_jobs",
        "schedule": crontab(hour=4, minute=20),
    },
    # Daily at 03:40: delete stored files no row points at (tickets/attachments/cleanup.py).
    "clean-orphan-files": {
        "task": "tickets.enqueue_orphan_file_cleanup",
        "schedule": crontab(hour=3, minute=40),
    },
    # Proves to /healthz that beat and a worker are alive.
    "record-worker-heartbeat": {"task": "csops.tasks.record_heartbeat", "schedule": 30.0},
    # SLA monitor: records at-risk and breach crossings, notifies, fires escalation rules.
    "monitor-sla": {"task": "tickets.tasks.monitor_sla", "schedule": 60.0},
    # Hourly: remind staff whose policy acknowledgment is overdue (once per person and version).
    "send-acknowledgment-reminders": {
        "task": "policies.tasks.send_acknowledgment_reminders",
        "schedule": 3600.0,
    },
    # Every 15 minutes: retire published versions a newer one replaced on its effective date.
    "retire-superseded-versions": {
        "task": "policies.tasks.retire_superseded_versions",
        "schedule": 900.0,
    },
    # Daily at 06:10: certification expiry reminders, 90/60/30 days before and on expiry
    # (once per certification and threshold, even when run twice).
    "send-certification-reminders": {
        "task": "staffing.tasks.send_certification_reminders",
        "schedule": crontab(hour=6, minute=10),
    },
    # Daily at 03:30: make the hiring personal-data purge job due (staffing/hiring/purge.py).
    "enqueue-candidate-purge": {
        "task": "staffing.tasks.enqueue_candidate_purge",
        "schedule": crontab(hour=3, minute=30),
    },
    # Daily at 05:40: assign required courses (role changes, recurring courses due again).
    "assign-required-training": {
        "task": "staffing.tasks.assign_required_training",
        "schedule": crontab(hour=5, minute=40),
    },
    # Every 30 s: routing returns untouched tickets of people who left or lost a skill,
    # overflows long waits, and assigns waiting tickets to whoever is free (issue 15).
    "route-waiting-tickets": {"task": "tickets.routing.route_waiting", "schedule": 30.0},
    # Daily at 06:15: tell people and their managers about skills lapsed with a certification.
    "notify-lapsed-skills": {
        "task": "staffing.tasks.notify_lapsed_skills",
        "schedule": crontab(hour=6, minute=15),
    },
}
