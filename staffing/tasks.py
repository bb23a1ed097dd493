"""Periodic staffing work (scheduled in csops/celery.py)."""

from __future__ import annotations

from celery import shared_task

from staffing.hiring import purge
from staffing.services import certifications, training
from staffing.skills import services as skills


@shared_task
def send_certification_reminders() -> int:
    """Expiry reminders at 90/60/30 days and on expiry; idempotent (csops.notify keys)."""
    return certifications.send_expiry_reminders()


@shared_task
def assign_required_training() -> int:
    """Required courses for role changes made in the admin, and recurring courses due again."""
    return training.assign_required_for_everyone()


@shared_task
def notify_lapsed_skills() -> int:
    """Tell people (and their managers) whose skill lapsed with its certification or course;
    once per lapse (csops.notify keys)."""
    return skills.notify_lapsed_skills()


@shared_task
def enqueue_candidate_purge() -> bool:
    """Make the personal-data purge job due (staffing/hiring/purge.py)."""
    return purge.enqueue_purge()
