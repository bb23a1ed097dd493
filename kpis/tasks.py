"""Celery tasks of the KPI engine (beat entries in csops/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.db.models import Max, Q
from django.utils import timezone

from kpis import rebuild, rollup, sweep
from kpis.models import KpiHeartbeat, RebuildJob, TicketMetricsRow
from kpis.refresh import refresh_tickets
from tickets.models import TicketEvent


def _beat(name: str) -> None:
    KpiHeartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


@shared_task(ignore_result=True)
def refresh_ticket_metrics(ticket_id: int) -> int:
    """Recompute one ticket (a no-op when its row already has the latest event), then fold."""
    latest = TicketEvent.objects.filter(ticket_id=ticket_id).aggregate(m=Max("id"))["m"]
    stored = (
        TicketMetricsRow.objects.filter(ticket_id=ticket_id)
        .values_list("source_event_id", flat=True)
        .first()
    )
    if latest is None or (stored is not None and stored >= latest):
        return 0  # coalesced: an earlier run of this burst already applied every event
    changed = refresh_tickets([ticket_id])
    if changed:
        rollup.fold_dirty()
    _beat("refresh")
    return changed


@shared_task(ignore_result=True)
def fold_dirty_buckets() -> int:
    folded = rollup.fold_dirty()
    _beat("fold")
    return folded


@shared_task(ignore_result=True)
def sweep_stale_metrics() -> int:
    return sweep.sweep()


@shared_task(ignore_result=True, acks_late=True)
def rebuild_kpis(job_id: int) -> None:
    """Run or resume a rebuild job (acks_late: a killed worker's job is redelivered)."""
    job = RebuildJob.objects.get(pk=job_id)
    if job.state in (RebuildJob.State.DONE, RebuildJob.State.FAILED):
        return
    try:
        rebuild.run(job)
    except Exception as exc:
        RebuildJob.objects.filter(pk=job_id).update(state=RebuildJob.State.FAILED, error=str(exc))
        raise
    _beat("fold")


@shared_task(ignore_result=True)
def resume_rebuilds() -> None:
    """Periodic: restart a rebuild whose worker stopped heartbeating (killed mid-chunk)."""
    stale = timezone.now() - rebuild.STALE_AFTER
    waiting = Q(state=RebuildJob.State.RUNNING, heartbeat_at__lt=stale) | Q(
        state=RebuildJob.State.QUEUED, created_at__lt=stale
    )
    for job in RebuildJob.objects.filter(waiting):
        RebuildJob.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now(), created_at=timezone.now()
        )
        rebuild_kpis.delay(job.pk)
