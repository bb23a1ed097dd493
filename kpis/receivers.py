"""Signal receivers: a committed ticket change queues its metric refresh; a ticket being
deleted marks the days it counted on for refolding."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from csops.jobs.wake import publish


def queue_refresh(sender, ticket_id: int, **kwargs) -> None:
    from kpis.tasks import refresh_ticket_metrics

    # No countdown (a held ETA message is what a broker outage used to cost a worker). The event
    # log is the durable record: the sweeper recomputes any ticket whose message was lost, and
    # a burst's later messages find the row current and return at once.
    transaction.on_commit(
        partial(publish, refresh_ticket_metrics, ticket_id, fallback="the sweeper recomputes it")
    )


def forget_deleted_ticket(sender, instance, **kwargs) -> None:
    from kpis.refresh import forget_tickets

    forget_tickets([instance.pk])
