"""Periodic policy work (scheduled in csops/celery.py)."""

from __future__ import annotations

from celery import shared_task

from policies.services import acknowledgments, documents


@shared_task
def send_acknowledgment_reminders() -> int:
    """Remind staff of overdue acknowledgments; each person once per version (idempotent)."""
    return acknowledgments.send_overdue_reminders()


@shared_task
def retire_superseded_versions() -> int:
    """Retire published versions replaced by one whose effective date has come."""
    return documents.retire_superseded()
