"""A real Celery worker on Redis delivers an incident update to every linked ticket once,
also when its job is run again (a re-drive) or races another delivery run."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from csops import jobs
from csops.models import Heartbeat, Job
from csops.tasks import record_heartbeat
from tests.factories import make_incident, make_ticket
from tests.integration.worker import running_worker
from tickets.models import IncidentUpdate, TicketEvent
from tickets.services import incidents

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _finished(update_id: int) -> bool:
    return IncidentUpdate.objects.filter(pk=update_id, finished_at__isnull=False).exists()


def _replies(ticket_ids: list[int], body: str) -> dict[int, int]:
    counts = {pk: 0 for pk in ticket_ids}
    for pk in TicketEvent.objects.filter(
        ticket_id__in=ticket_ids, type="public_reply", body=body
    ).values_list("ticket_id", flat=True):
        counts[pk] += 1
    return counts


def _drain() -> None:
    """The solo worker runs tasks in order: once a heartbeat queued last is recorded, every
    task queued before it has run."""
    Heartbeat.objects.all().delete()
    record_heartbeat.delay()
    assert _wait_for(lambda: Heartbeat.objects.filter(component="worker").exists())


def test_update_reaches_each_linked_ticket_once(manager, team):
    ids = [make_ticket(team).pk for _ in range(3)]
    incident = make_incident(manager, team, ids)
    with running_worker():
        # when the manager posts an update (queued on commit to the real worker)
        first = incidents.post_update(incident.pk, by=manager, body="Fixed by noon.")
        assert _wait_for(lambda: _finished(first.pk)), "the worker never finished the update"
        # and its job runs twice more, as a re-drive after a lost worker would
        for _ in range(2):
            job = Job.objects.filter(key=f"incident-update:{first.pk}")
            assert job.update(state=Job.State.PENDING, due_at=timezone.now()) == 1
            jobs.wake()
            assert _wait_for(lambda job=job: job.filter(state=Job.State.DONE).exists())
        _drain()
        # then every ticket has the update exactly once
        assert _replies(ids, "Fixed by noon.") == dict.fromkeys(ids, 1)
        assert IncidentUpdate.objects.values_list("done", "total").get(pk=first.pk) == (3, 3)

        # a second update delivered by the worker and, at the same time, by this process
        second = incidents.post_update(incident.pk, by=manager, body="Fully restored.")
        incidents.deliver_batch(second.pk)
        assert _wait_for(lambda: _finished(second.pk))
        _drain()
    assert _replies(ids, "Fully restored.") == dict.fromkeys(ids, 1)
    assert IncidentUpdate.objects.values_list("done", "total").get(pk=second.pk) == (3, 3)
