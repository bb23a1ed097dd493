"""Signal receivers: a committed ticket change queues its metric refresh; a ticket being
deleted marks the days it counted on for refolding."""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def queue_refresh(sender, ticket_id: int, **kwargs) -> None:
    from kpis.tasks import refresh_ticket_metrics

    # No countdown (a held ETA message is what a broker outage used to cost a worker). The event
    # log is the durable record: the sweeper recomputes any ticket whose message was lost, and
    # a burst's later messages find the row current and return at once.
    def send() -> None:
        try:
            refresh_ticket_metrics.apply_async((ticket_id,), retry=False)
        except Exception:  # broker down: the sweeper recomputes the ticket later
            log.warning("could not queue the KPI refresh of ticket %s", ticket_id, exc_info=True)

    transaction.on_commit(send)


def forget_deleted_ticket(sender, instance, **kwargs) -> None:
    from kpis.refresh import forget_tickets

    forget_tickets([instance.pk])
