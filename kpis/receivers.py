"""Signal receivers: a committed transaction's ticket changes queue their metric refresh; a
ticket being deleted marks the days it counted on for refolding."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from csops.jobs.wake import publish

REFRESH_CHUNK = 200  # tickets per refresh task (one committed batch of mail is one or two)


def queue_refresh(sender, ticket_ids: list[int], **kwargs) -> None:
    """``tickets_changed``: one refresh task for the tickets of a committed transaction."""
    from kpis.tasks import refresh_tickets_metrics

    # No countdown (a held ETA message is what a broker outage used to cost a worker). The event
    # log is the durable record: the sweeper recomputes any ticket whose message was lost, and
    # a burst's later messages find the rows current and return at once.
    ids = sorted(set(ticket_ids))
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        transaction.on_commit(
            partial(publish, refresh_tickets_metrics, chunk, fallback="the sweeper recomputes it")
        )


def forget_deleted_ticket(sender, instance, **kwargs) -> None:
    from kpis.refresh import forget_tickets

    forget_tickets([instance.pk])
