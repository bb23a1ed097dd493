"""Job handlers of the tickets app (csops.jobs): thin, each calls one idempotent service."""

from __future__ import annotations

from csops.jobs import Again, handler
from tickets.attachments import cleanup
from tickets.bulk import services as bulk
from tickets.chat import jobs as chat_jobs  # noqa: F401 (registers the chat delivery handler)
from tickets.mail import jobs as mail_jobs  # noqa: F401 (registers the outbox handler)
from tickets.mail.inbound import jobs as inbound_jobs  # noqa: F401 (the mailbox poll)
from tickets.models import IncidentUpdate
from tickets.services import incidents, surveys
from tickets.webhooks import jobs as webhook_jobs  # noqa: F401 (registers the delivery handler)


@handler(incidents.DELIVER_UPDATE)
def deliver_incident_update(payload: dict) -> Again | None:
    """One batch of an update's deliveries; the job runs again at once while some remain."""
    if not IncidentUpdate.objects.filter(pk=payload["update"]).exists():
        return None
    return Again() if incidents.deliver_batch(payload["update"]) else None


@handler(surveys.SEND_SURVEY)
def send_survey(payload: dict) -> None:
    surveys.send_invitation(payload["invitation"])


@handler(bulk.RUN)
def run_bulk_action(payload: dict) -> Again | None:
    """One batch of a bulk action; the job runs again at once while tickets remain."""
    return Again() if bulk.run_batch(payload["bulk"]) else None


@handler(cleanup.CLEAN)
def clean_orphan_files(payload: dict) -> None:
    cleanup.clean_orphan_files()
