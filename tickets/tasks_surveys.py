"""Survey mail task (thin: load by id, call the service). Queued on commit with a countdown of
``CSAT_SURVEY_DELAY_SECONDS`` by ``tickets.services.surveys.invite_for_solve``."""

from __future__ import annotations

import smtplib

from celery import shared_task

from tickets.services import surveys


@shared_task(
    name="tickets.send_survey",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    max_retries=5,
)
def send_survey(invitation_id: int) -> bool:
    return surveys.send_invitation(invitation_id)


@shared_task(name="tickets.send_due_surveys")
def send_due_surveys() -> int:
    """Safety net: mail invitations whose queued task was lost (broker down at the solve)."""
    return surveys.send_overdue_invitations()
