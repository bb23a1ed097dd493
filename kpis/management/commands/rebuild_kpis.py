"""``manage.py rebuild_kpis``: recompute every metric row and rollup from the event log."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kpis import rebuild
from kpis.models import RebuildJob


class Command(BaseCommand):
    help = "Rebuild the KPI metric rows and rollups from the ticket event log (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=rebuild.CHUNK, help="Tickets per chunk.")
        parser.add_argument(
            "--fresh", action="store_true", help="Start over instead of resuming a killed run."
        )

    def handle(self, *args, **options) -> None:
        job = None
        if not options["fresh"]:
            job = RebuildJob.objects.filter(state=RebuildJob.State.RUNNING).first()
        if job is None:
            job = RebuildJob.objects.create(created_at=timezone.now())
        else:
            self.stdout.write(f"Resuming rebuild {job.pk} after ticket {job.last_ticket_id}.")
        started = time.perf_counter()
        rebuild.run(job, chunk=options["chunk"])
        self.stdout.write(
            f"Rebuilt {job.done} tickets in {time.perf_counter() - started:.1f} s (job {job.pk})."
        )
