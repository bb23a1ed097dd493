"""The full rebuild: chunked, idempotent, resumable after a killed worker; who may start it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from csops.errors import Conflict, NotAllowed
from kpis import rebuild, selectors, services
from kpis.models import DailyRollup, RebuildChunk, RebuildJob, TicketMetricsRow
from kpis.models.rollups import ALL
from tests.factories import make_ticket
from tickets.services import tickets as ticket_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(team, rep):
    made = [make_ticket(team) for _ in range(7)]
    for t in made[::2]:
        ticket_services.reply(t.pk, by=rep, body="Done", new_status="solved")
    return made


def test_plan_splits_the_tickets_into_chunks_once(tickets):
    ids = [t.pk for t in tickets]
    job = RebuildJob.objects.create(created_at=timezone.now())
    assert rebuild.plan(job.pk, chunk=3) is True
    assert rebuild.plan(job.pk, chunk=2) is True  # planned already: the first plan stands
    chunks = list(RebuildChunk.objects.filter(job=job).order_by("lo"))
    assert [(c.lo, c.hi, c.tickets, c.done_at) for c in chunks] == [
        (ids[0], ids[2], 3, None),
        (ids[3], ids[5], 3, None),
        (ids[6], ids[6], 1, None),
    ]
    job.refresh_from_db()
    assert (job.state, job.total, job.done, job.max_ticket_id) == ("running", 7, 0, ids[-1])
    assert selectors.rebuild_progress().percent == 0.0


def test_resumes_a_half_done_chunk_set(tickets):
    # given a job whose first two chunks (4 tickets) committed before its worker was killed
    ids = [t.pk for t in tickets]
    job = RebuildJob.objects.create(created_at=timezone.now())
    rebuild.plan(job.pk, chunk=2)
    first_two = RebuildChunk.objects.filter(job=job).order_by("lo")[:2]
    RebuildChunk.objects.filter(pk__in=[c.pk for c in first_two]).update(done_at=timezone.now())
    RebuildJob.objects.filter(pk=job.pk).update(done=4)
    assert selectors.rebuild_progress().percent == pytest.approx(100 * 4 / 7)
    # when it is resumed
    job = rebuild.run(job, chunk=2)
    # then only the remaining chunks were computed, and the job is complete
    assert set(TicketMetricsRow.objects.values_list("ticket_id", flat=True)) == set(ids[4:])
    assert (job.state, job.done, job.total) == ("done", 7, 7)
    assert not RebuildChunk.objects.filter(job=job, done_at__isnull=True).exists()
    assert job.finished_at is not None
    assert selectors.rebuild_progress().percent == 100.0
    # the rollups were folded from the rows there are: ids[4] and ids[6] are solved
    resolved = DailyRollup.objects.filter(kind="resolved", level=ALL)
    assert sum(resolved.values_list("n", flat=True)) == 2


def test_a_legacy_running_job_without_chunks_is_planned_and_run(tickets):
    job = RebuildJob.objects.create(
        created_at=timezone.now(), state="running", started_at=timezone.now(), total=7, done=3
    )
    job = rebuild.run(job, chunk=4)
    assert (job.state, job.done, job.total) == ("done", 7, 7)
    assert TicketMetricsRow.objects.count() == 7


def test_a_done_or_failed_job_is_left_alone(tickets):
    for state in ("done", "failed"):
        job = RebuildJob.objects.create(created_at=timezone.now(), state=state)
        assert rebuild.plan(job.pk) is False
        assert rebuild.work(job.pk) is False
        job.refresh_from_db()
        assert (job.state, job.total) == (state, 0)
    assert not RebuildChunk.objects.exists()
    assert not TicketMetricsRow.objects.exists()


def test_work_stops_at_its_chunk_cap_and_the_last_call_folds(tickets):
    job = RebuildJob.objects.create(created_at=timezone.now())
    rebuild.plan(job.pk, chunk=3)
    assert rebuild.work(job.pk, max_chunks=2) is True  # 2 of 3 chunks, may be more
    job.refresh_from_db()
    assert (job.state, job.done) == ("running", 6)
    assert not DailyRollup.objects.exists()  # not folded before every chunk is done
    assert rebuild.work(job.pk, max_chunks=2) is False
    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 7)
    assert (
        DailyRollup.objects.filter(kind="created", level=ALL).values_list("n", flat=True).get() == 7
    )


def test_rebuild_is_idempotent(tickets):
    rebuild.run(RebuildJob.objects.create(created_at=timezone.now()), chunk=3)
    first = list(
        TicketMetricsRow.objects.order_by("pk").values_list(
            "pk", "source_event_id", "resolved_day", "first_reply_cal"
        )
    )
    rollups = sorted(DailyRollup.objects.values_list("kind", "day", "n", "sum_cal"))
    rebuild.run(RebuildJob.objects.create(created_at=timezone.now()), chunk=5)
    assert (
        list(
            TicketMetricsRow.objects.order_by("pk").values_list(
                "pk", "source_event_id", "resolved_day", "first_reply_cal"
            )
        )
        == first
    )
    assert sorted(DailyRollup.objects.values_list("kind", "day", "n", "sum_cal")) == rollups
    assert (
        DailyRollup.objects.filter(kind="resolved", level=ALL).values_list("n", flat=True).get()
        == 4
    )


def test_command_rebuilds(tickets):
    out = StringIO()
    # inside the test's transaction the command runs in this process whatever --workers says
    call_command("rebuild_kpis", "--chunk", "4", "--workers", "2", stdout=out)
    assert "Rebuilt 7 tickets" in out.getvalue()
    assert TicketMetricsRow.objects.count() == 7
    assert RebuildJob.objects.get().state == "done"


def test_command_resumes_a_running_job(tickets):
    job = RebuildJob.objects.create(created_at=timezone.now())
    rebuild.plan(job.pk, chunk=4)
    rebuild.work(job.pk, max_chunks=1)
    out = StringIO()
    call_command("rebuild_kpis", "--workers", "1", stdout=out)
    assert out.getvalue().splitlines()[0] == f"Resuming rebuild {job.pk}: 4 of 7 tickets done."
    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 7)


@pytest.mark.parametrize(
    ("_case", "argv", "message"),
    [
        ("no workers", ["--workers", "0"], "--workers must be at least 1."),
        ("empty chunk", ["--chunk", "0"], "--chunk must be at least 1."),
    ],
)
def test_command_refuses_bad_counts(_case, argv, message):
    with pytest.raises(CommandError, match=message):
        call_command("rebuild_kpis", *argv, stdout=StringIO())
    assert not RebuildJob.objects.exists()


def test_only_directors_start_a_rebuild_and_one_at_a_time(director, manager, rep):
    for user in (manager, rep):
        with pytest.raises(NotAllowed):
            services.start_rebuild(user)
    assert not RebuildJob.objects.exists()
    job = services.start_rebuild(director)
    assert (job.state, job.requested_by) == ("queued", director)
    with pytest.raises(Conflict):
        services.start_rebuild(director)
    assert selectors.rebuild_progress().state == "queued"
