"""The parallel rebuild, with committed data: forked workers (``manage.py rebuild_kpis``), a
worker killed mid-chunk, and the director's button and the stalled-job beat on a real worker."""

from __future__ import annotations

import math
import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone

from kpis import rebuild, rollup, selectors, services
from kpis.models import (
    DailyRollup,
    DirtyBucket,
    RebuildChunk,
    RebuildJob,
    TicketMetricsRow,
    TicketSlaRow,
)
from kpis.refresh import refresh_tickets
from kpis.tasks import resume_rebuilds
from tests.factories import make_ticket
from tests.integration.worker import running_worker
from tickets.models import Ticket
from tickets.seeding import seed
from tickets.services import tickets as ticket_services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _rows() -> dict[int, tuple]:
    fields = [f.attname for f in TicketMetricsRow._meta.concrete_fields if f.name != "computed_at"]
    return {r[0]: r for r in TicketMetricsRow.objects.order_by("pk").values_list(*fields)}


def _rollups() -> Counter:
    fields = [f.attname for f in DailyRollup._meta.concrete_fields if f.name != "id"]
    return Counter(DailyRollup.objects.values_list(*fields))


def _sla() -> set:
    fields = [f.attname for f in TicketSlaRow._meta.concrete_fields if f.name != "id"]
    return set(TicketSlaRow.objects.values_list(*fields))


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def history(team, rep, director) -> list[int]:
    """400 seeded tickets (``seed`` also creates the demo SLA policy and business calendar)
    and 12 tickets worked under them (SLA rows, business time in New York hours)."""
    seed(400, seed=5)
    rng = random.Random(5)
    for i in range(12):
        ticket = make_ticket(team, priority=("urgent", "high", "normal")[i % 3])
        if rng.random() < 0.7:
            ticket_services.reply(ticket.pk, by=rep, body="On it", new_status="pending")
        if rng.random() < 0.5:
            ticket_services.reply(ticket.pk, by=rep, body="Fixed", new_status="solved")
    return list(Ticket.objects.order_by("pk").values_list("pk", flat=True))


def test_parallel_rebuild_equals_the_incremental_path(history):
    # given every ticket refreshed incrementally, in random batches, and folded
    rng = random.Random(7)
    ids = history[:]
    rng.shuffle(ids)
    while ids:
        take = rng.randint(1, 90)
        refresh_tickets(ids[:take])
        ids = ids[take:]
    rollup.fold_dirty()
    incremental = (_rows(), _rollups(), _sla())
    assert len(incremental[0]) == len(history) > 412  # 400 seeded, the demo's, and 12
    assert len(incremental[2]) > 0  # the SLA tickets were measured
    assert not DirtyBucket.objects.exists()
    # when the rows and rollups are dropped and two worker processes rebuild them
    TicketMetricsRow.objects.all().delete()
    TicketSlaRow.objects.all().delete()
    DailyRollup.objects.all().delete()
    job = rebuild.run(RebuildJob.objects.create(created_at=timezone.now()), chunk=25, workers=2)
    # then every chunk is done once and the rows equal the incremental ones exactly
    assert (job.state, job.done, job.total) == ("done", len(history), len(history))
    assert RebuildChunk.objects.filter(job=job).count() == math.ceil(len(history) / 25)
    assert not RebuildChunk.objects.filter(job=job, done_at__isnull=True).exists()
    rebuilt = (_rows(), _rollups(), _sla())
    assert [pk for pk in incremental[0] if incremental[0][pk] != rebuilt[0].get(pk)] == []
    assert rebuilt[0].keys() == incremental[0].keys()
    assert rebuilt[1] == incremental[1]
    assert rebuilt[2] == incremental[2]
    assert selectors.rebuild_progress().percent == 100.0


def test_the_command_forks_workers(history):
    out = StringIO()
    call_command("rebuild_kpis", "--workers", "2", "--chunk", "50", stdout=out)
    assert f"Rebuilt {len(history)} tickets" in out.getvalue()
    assert "with 2 workers" in out.getvalue()
    assert TicketMetricsRow.objects.count() == len(history)
    assert RebuildJob.objects.get().state == "done"


def _claim_and_hang(job_id: int, ready) -> None:
    """A worker that locked the first chunk and marked it done, but never committed."""
    rebuild.forget_inherited_connections()
    with transaction.atomic():
        chunk = RebuildChunk.objects.select_for_update().filter(job_id=job_id).order_by("lo")[0]
        RebuildChunk.objects.filter(pk=chunk.pk).update(done_at=timezone.now())
        RebuildJob.objects.filter(pk=job_id).update(done=chunk.tickets)
        ready.send(chunk.pk)
        time.sleep(60)  # killed meanwhile


def test_a_killed_worker_releases_its_chunk(history):
    # given a worker killed (SIGKILL) while it held the first chunk, uncommitted
    job = RebuildJob.objects.create(created_at=timezone.now())
    rebuild.plan(job.pk, chunk=100)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    child = context.Process(target=_claim_and_hang, args=(job.pk, theirs))
    child.start()
    assert ours.poll(30)
    held = ours.recv()
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    # when the rebuild is run again, right away
    job = rebuild.run(job, chunk=100, workers=1)
    # then the killed worker's chunk was redone with the others, and counted once
    assert (job.state, job.done, job.total) == ("done", len(history), len(history))
    assert RebuildChunk.objects.get(pk=held).done_at is not None
    assert TicketMetricsRow.objects.count() == len(history)


def _director() -> User:
    return User.objects.get(username="diane")


@pytest.mark.redis
def test_the_rebuild_button_runs_on_a_real_worker(history):
    with running_worker():
        # given the director's button (the job is queued on commit)
        job = services.start_rebuild(_director())
        # then the fanned-out runners rebuild every ticket and fold once
        assert _wait_for(lambda: RebuildJob.objects.get(pk=job.pk).state == "done")
    job.refresh_from_db()
    assert (job.done, job.total) == (len(history), len(history))
    assert TicketMetricsRow.objects.count() == len(history)
    assert DailyRollup.objects.filter(kind="created", level=2).exists()


@pytest.mark.redis
def test_resume_rebuilds_restarts_a_stalled_job_on_a_real_worker(history):
    # given a running job whose workers died after the first chunk, two minutes ago
    job = RebuildJob.objects.create(created_at=timezone.now())
    rebuild.plan(job.pk, chunk=100)
    rebuild.work(job.pk, max_chunks=1)
    stale = timezone.now() - rebuild.STALE_AFTER - timedelta(seconds=1)
    RebuildJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    fresh = RebuildJob.objects.create(
        created_at=timezone.now(), state="running", heartbeat_at=timezone.now()
    )
    with running_worker():
        # when the beat entry runs
        resume_rebuilds()
        assert _wait_for(lambda: RebuildJob.objects.get(pk=job.pk).state == "done")
    # then the job was finished; a job with a recent heartbeat was left alone
    job.refresh_from_db()
    assert (job.done, job.total) == (len(history), len(history))
    assert RebuildJob.objects.get(pk=fresh.pk).state == "running"
    assert not RebuildChunk.objects.filter(job=fresh).exists()
