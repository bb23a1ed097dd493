"""Job threads (csops/jobs/dispatcher.py): woken by NOTIFY on commit, not by a poll or a
broker message, and never queued behind a long job."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import transaction

from csops import jobs
from csops.jobs import dispatcher
from csops.models import Job

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ran: dict[str, float] = {}
release = threading.Event()


@jobs.handler("test.dispatch.mark")
def _mark(payload):
    ran[payload["name"]] = time.monotonic()


@jobs.handler("test.dispatch.hold")
def _hold(payload):
    ran["hold-started"] = time.monotonic()
    release.wait(30)


@pytest.fixture
def threads():
    ran.clear()
    release.clear()
    running = dispatcher.Dispatcher(threads=2, poll_seconds=60)  # a poll would come too late
    running.start()
    time.sleep(0.5)  # the listener is LISTENing
    yield running
    release.set()
    running.stop()


def _wait_for(predicate, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.05)
    return predicate()


def _enqueue(kind: str, name: str) -> float:
    with transaction.atomic():
        jobs.enqueue(kind, key=name, payload={"name": name})
    return time.monotonic()  # committed: the NOTIFY went out


def test_a_committed_job_runs_at_once_without_a_poll_or_broker(threads):
    committed = _enqueue("test.dispatch.mark", "first")
    assert _wait_for(lambda: "first" in ran, 5), "the job waited for a poll"
    assert ran["first"] - committed < 2
    assert _wait_for(lambda: Job.objects.get(key="first").state == Job.State.DONE)


def test_a_long_job_holds_one_thread_and_the_next_job_still_runs(threads):
    _enqueue("test.dispatch.hold", "hold")
    assert _wait_for(lambda: "hold-started" in ran, 5)
    committed = _enqueue("test.dispatch.mark", "behind")
    assert _wait_for(lambda: "behind" in ran, 5), "the job queued behind the long one"
    assert ran["behind"] - committed < 2
    assert Job.objects.get(key="hold").state == Job.State.RUNNING


def test_a_job_enqueued_while_no_thread_listens_is_run_at_start():
    ran.clear()
    _enqueue("test.dispatch.mark", "before")  # nobody hears this NOTIFY
    running = dispatcher.Dispatcher(threads=1, poll_seconds=60)
    running.start()
    try:
        assert _wait_for(lambda: "before" in ran, 5), "a due job was left for the next poll"
    finally:
        running.stop()


def test_stop_ends_every_thread(threads):
    threads.stop(timeout=5)
    assert not threads.alive()
    assert all(not t.is_alive() for t in threads._threads)
