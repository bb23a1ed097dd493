"""``manage.py rebuild_kpis``: recompute every metric row and rollup from the event log."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kpis import rebuild
from kpis.models import RebuildJob


class Command(BaseCommand):
    help = "Rebuild the KPI metric rows and rollups from the ticket event log (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=rebuild.CHUNK, help="Tickets per chunk.")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Worker processes (default: the CPU count; always 1 on SQLite).",
        )
        parser.add_argument(
            "--fresh", action="store_true", help="Start over instead of resuming a killed run."
        )

    def handle(self, *args, **options) -> None:
        if options["chunk"] < 1:
            raise CommandError("--chunk must be at least 1.")
        workers = rebuild.worker_slots() if options["workers"] is None else options["workers"]
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        job = None
        if not options["fresh"]:
            job = RebuildJob.objects.filter(state=RebuildJob.State.RUNNING).first()
        if job is None:
            job = RebuildJob.objects.create(created_at=timezone.now())
        else:
            self.stdout.write(f"Resuming rebuild {job.pk}: {job.done} of {job.total} tickets done.")
        started = time.perf_counter()
        job = rebuild.run(job, chunk=options["chunk"], workers=workers)
        self.stdout.write(
            f"Rebuilt {job.done} tickets in {time.perf_counter() - started:.1f} s "
            f"with {workers} worker{'s' if workers != 1 else ''} (job {job.pk})."
        )
