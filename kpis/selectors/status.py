"""``freshness()`` and ``rebuild_progress()``: how current the dashboard is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from csops.models import Heartbeat
from kpis.models import DirtyBucket, KpiHeartbeat, RebuildJob, TicketMetricsRow
from tickets.models import TicketEvent

LAG_WARNING = timedelta(seconds=60)


@dataclass(frozen=True)
class Freshness:
    """``as_of``: every event up to it is reflected (all, when nothing is pending).
    ``behind_seconds``: age of the newest event not yet applied (0 when current)."""

    as_of: datetime | None
    age_seconds: float | None  # now - as_of ("as of 3 s ago")
    behind_seconds: float
    dirty_buckets: int
    worker_seen_at: datetime | None
    worker_down: bool
    lagging: bool

    @property
    def warning(self) -> str | None:
        if self.worker_down:
            return "The KPI workers are down: figures are not being updated."
        if self.lagging:
            return "The KPI workers are behind: recent changes are not shown yet."
        return None


def freshness(*, now: datetime | None = None) -> Freshness:
    """A few index lookups: the newest event, its ticket's row, the newest applied event."""
    now = now or timezone.now()
    latest = TicketEvent.objects.order_by("-pk").values_list("pk", "ticket_id", "at").first()
    applied_at = TicketMetricsRow.objects.aggregate(m=Max("last_event_at"))["m"]
    dirty = DirtyBucket.objects.count()
    behind = 0.0
    as_of = applied_at
    if latest is not None:
        pk, ticket_id, at = latest
        row = TicketMetricsRow.objects.filter(ticket_id=ticket_id).values_list(
            "source_event_id", flat=True
        )
        if row and row[0] >= pk:
            as_of = now if not dirty else applied_at
        else:
            behind = max(0.0, (now - at).total_seconds())
    beats = dict(KpiHeartbeat.objects.values_list("name", "at"))
    worker = Heartbeat.objects.filter(component="worker").values_list("seen_at", flat=True).first()
    seen = max([t for t in (worker, *beats.values()) if t is not None], default=None)
    stale = timedelta(seconds=getattr(settings, "WORKER_STALE_AFTER_SECONDS", 120))
    return Freshness(
        as_of=as_of,
        age_seconds=None if as_of is None else max(0.0, (now - as_of).total_seconds()),
        behind_seconds=behind,
        dirty_buckets=dirty,
        worker_seen_at=seen,
        worker_down=seen is None or now - seen > stale,
        lagging=behind > LAG_WARNING.total_seconds(),
    )


@dataclass(frozen=True)
class RebuildProgress:
    job_id: int | None
    state: str | None  # queued | running | done | failed, None if never run
    done: int
    total: int
    percent: float | None
    started_at: datetime | None
    finished_at: datetime | None
    error: str


def rebuild_progress() -> RebuildProgress:
    job = RebuildJob.objects.order_by("-pk").first()
    if job is None:
        return RebuildProgress(None, None, 0, 0, None, None, None, "")
    pct = (
        100.0
        if job.state == RebuildJob.State.DONE
        else (100 * job.done / job.total if job.total else None)
    )
    return RebuildProgress(
        job.pk, job.state, job.done, job.total, pct, job.started_at, job.finished_at, job.error
    )
