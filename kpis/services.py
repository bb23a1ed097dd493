"""KPI engine use cases (writes): start a full rebuild."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from csops import permissions
from csops.errors import Conflict, NotAllowed
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

    def send() -> None:
        from kpis.tasks import rebuild_kpis

        rebuild_kpis.delay(job.pk)

    transaction.on_commit(send)
    return job
