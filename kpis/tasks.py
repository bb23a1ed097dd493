"""Celery tasks of the KPI engine (beat entries in csops/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from kpis import backlog_fold, rebuild, rollup, sweep
from kpis.models import KpiHeartbeat, RebuildJob, TicketMetricsRow
from kpis.refresh import refresh_tickets
from tickets.models import TicketEvent

RUNNER_CHUNKS = 100  # chunks per rebuild runner task before it re-enqueues itself


def _beat(name: str) -> None:
    KpiHeartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


@shared_task(ignore_result=True)
def refresh_ticket_metrics(ticket_id: int) -> int:
    """Recompute one ticket (a no-op when its row already has the latest event), then fold."""
    return refresh_tickets_metrics([ticket_id])


@shared_task(ignore_result=True)
def refresh_tickets_metrics(ticket_ids: list[int]) -> int:
    """Recompute the tickets whose rows lack their latest event (the others were coalesced: an
    earlier run of the burst already applied every event), then fold once."""
    latest = dict(
        TicketEvent.objects.filter(ticket_id__in=ticket_ids)
        .values("ticket_id")
        .annotate(m=Max("id"))
        .values_list("ticket_id", "m")
    )
    stored = dict(
        TicketMetricsRow.objects.filter(ticket_id__in=list(latest)).values_list(
            "ticket_id", "source_event_id"
        )
    )
    stale = [t for t, m in latest.items() if stored.get(t) is None or stored[t] < m]
    if not stale:
        return 0
    changed = refresh_tickets(sorted(stale))
    if changed:
        rollup.fold_dirty()
    _beat("refresh")
    return changed


@shared_task(ignore_result=True)
def fold_dirty_buckets() -> int:
    """Fold dirty buckets, then the daily backlog of any ended day not folded yet."""
    folded = rollup.fold_dirty()
    folded += len(backlog_fold.close_days())
    _beat("fold")
    return folded


@shared_task(ignore_result=True)
def sweep_stale_metrics() -> int:
    return sweep.sweep(budget_seconds=settings.KPI_SWEEP_BUDGET_SECONDS)


@shared_task(ignore_result=True)
def rebuild_kpis(job_id: int) -> None:
    """Start or resume a rebuild job: plan its chunks, then fan out one runner per slot."""
    if not rebuild.plan(job_id):
        return  # gone, done or failed
    for _ in range(rebuild.worker_slots()):
        run_rebuild_chunks.delay(job_id)


@shared_task(ignore_result=True, acks_late=True)
def run_rebuild_chunks(job_id: int) -> None:
    """Claim and process a rebuild's chunks (acks_late: each chunk commits with its rows, so a
    redelivered runner only redoes uncommitted work), at most ``RUNNER_CHUNKS`` per run, then
    re-enqueue itself while chunks remain; the runner that finds them all done folds."""
    try:
        more = rebuild.work(job_id, max_chunks=RUNNER_CHUNKS)
    except Exception as exc:
        RebuildJob.objects.filter(pk=job_id).update(state=RebuildJob.State.FAILED, error=str(exc))
        raise
    if more:
        run_rebuild_chunks.delay(job_id)
    else:
        _beat("fold")


@shared_task(ignore_result=True)
def resume_rebuilds() -> None:
    """Periodic: restart a rebuild whose workers stopped heartbeating (killed mid-chunk). A
    job being folded holds its row lock and is skipped."""
    stale = timezone.now() - rebuild.STALE_AFTER
    waiting = Q(state=RebuildJob.State.RUNNING, heartbeat_at__lt=stale) | Q(
        state=RebuildJob.State.QUEUED, created_at__lt=stale
    )
    with transaction.atomic():
        jobs = list(
            RebuildJob.objects.select_for_update(skip_locked=True)
            .filter(waiting)
            .values_list("pk", flat=True)
        )
        RebuildJob.objects.filter(pk__in=jobs).update(
            heartbeat_at=timezone.now(), created_at=timezone.now()
        )
    for pk in jobs:
        rebuild_kpis.delay(pk)


@shared_task(ignore_result=True)
def fold_arrivals() -> int:
    """Count the log's new arrivals per half hour (kpis.forecast.fold; the row is the truth)."""
    from kpis.forecast import fold

    return fold.fold_arrivals()
