"""Signal receivers: a committed ticket change queues its metric refresh; a ticket being
deleted marks the days it counted on for refolding."""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)

# A burst of actions on one ticket within this delay is applied by the first task that runs;
# the later ones find the row current and return at once (kpis.tasks.refresh_ticket_metrics).
COUNTDOWN_SECONDS = 1


def queue_refresh(sender, ticket_id: int, **kwargs) -> None:
    from kpis.tasks import refresh_ticket_metrics

    def send() -> None:
        try:
            refresh_ticket_metrics.apply_async((ticket_id,), countdown=COUNTDOWN_SECONDS)
        except Exception:  # broker down: the sweeper recomputes the ticket later
            log.warning("could not queue the KPI refresh of ticket %s", ticket_id, exc_info=True)

    transaction.on_commit(send)


def forget_deleted_ticket(sender, instance, **kwargs) -> None:
    from kpis.refresh import forget_tickets

    forget_tickets([instance.pk])
