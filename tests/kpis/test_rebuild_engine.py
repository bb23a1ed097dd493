"""The full rebuild: chunked, idempotent, resumable after a killed worker; who may start it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from csops.errors import Conflict, NotAllowed
from kpis import rebuild, selectors, services
from kpis.models import DailyRollup, RebuildJob, TicketMetricsRow
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


def test_resumes_after_the_last_committed_chunk(tickets):
    # given a job killed after committing the chunks up to the third ticket
    ids = [t.pk for t in tickets]
    job = RebuildJob.objects.create(
        created_at=timezone.now(),
        state="running",
        started_at=timezone.now(),
        max_ticket_id=ids[-1],
        total=7,
        done=3,
        last_ticket_id=ids[2],
    )
    # when it is resumed
    rebuild.run(job, chunk=2)
    # then only the remaining tickets were computed, and the job is complete
    assert set(TicketMetricsRow.objects.values_list("ticket_id", flat=True)) == set(ids[3:])
    job.refresh_from_db()
    assert (job.state, job.done, job.last_ticket_id) == ("done", 7, ids[-1])
    assert selectors.rebuild_progress().percent == 100.0


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
    call_command("rebuild_kpis", "--chunk", "4", stdout=out)
    assert "Rebuilt 7 tickets" in out.getvalue()
    assert TicketMetricsRow.objects.count() == 7


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
