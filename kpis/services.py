"""KPI engine use cases (writes): start a full rebuild."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from csops import permissions
from csops.errors import Conflict, NotAllowed
from csops.jobs.wake import publish
from csops.roles import Role
from kpis.models import RebuildJob


@transaction.atomic
def start_rebuild(by: User | None) -> RebuildJob:
    """Queue a full rebuild (directors and admins; ``by=None`` for the command line).
    Refused while another rebuild is queued or running."""
    if by is not None and not permissions.has_role(by, Role.DIRECTOR):
        raise NotAllowed("Only directors can rebuild the KPIs.")
    busy = RebuildJob.objects.select_for_update().filter(
        state__in=(RebuildJob.State.QUEUED, RebuildJob.State.RUNNING)
    )
    if busy.exists():
        raise Conflict("A KPI rebuild is already running.")
    job = RebuildJob.objects.create(requested_by=by, created_at=timezone.now())

    transaction.on_commit(partial(_send_rebuild, job.pk))
    return job


def _send_rebuild(job_id: int) -> None:
    """Best effort: with the broker down the job stays queued and ``resume_rebuilds`` (beat)
    starts it later; the request that queued it still succeeds."""
    from kpis.tasks import rebuild_kpis

    publish(rebuild_kpis, job_id, fallback="resume_rebuilds (beat) starts it")
