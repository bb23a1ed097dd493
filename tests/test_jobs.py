"""The durable job runner (csops.jobs): claim, lease, retry, give up, take over."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from csops import jobs
from csops.jobs import runner
from csops.jobs.queue import purge_finished
from csops.jobs.wake import wake
from csops.models import Job

pytestmark = pytest.mark.django_db

calls: list[dict] = []


@jobs.handler("test.record")
def _record(payload):
    calls.append(payload)


@jobs.handler("test.fail")
def _fail(payload):
    raise ValueError("smtp said no")


@jobs.handler("test.partial")
def _partial(payload):
    calls.append(payload)
    return jobs.Again() if len(calls) < 3 else None


@jobs.handler("test.wait")
def _wait(payload):
    """A job that mostly waits (as a webhook's HTTP answer does)."""
    time.sleep(0.3)
    calls.append({**payload, "thread": threading.get_ident()})


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()


def _state(job):
    job.refresh_from_db()
    return job.state


def test_enqueue_is_idempotent_by_key():
    first = jobs.enqueue("test.record", key="k1", payload={"n": 1})
    again = jobs.enqueue("test.record", key="k1", payload={"n": 2})
    assert again.pk == first.pk
    assert Job.objects.count() == 1


def test_due_jobs_run_once_and_later_ones_wait():
    due = jobs.enqueue("test.record", key="now", payload={"n": 1})
    later = jobs.enqueue(
        "test.record", key="later", payload={"n": 2}, due_at=timezone.now() + timedelta(hours=1)
    )
    assert runner.run_due() == 1
    assert calls == [{"n": 1}]
    assert _state(due) == Job.State.DONE
    assert _state(later) == Job.State.PENDING
    assert runner.run_due() == 0


def test_a_due_normal_job_is_claimed_before_older_bulk_work():
    now = timezone.now()
    jobs.enqueue(
        "test.record",
        key="ack",
        payload={"n": "ack"},
        priority=jobs.Priority.BULK,
        due_at=now - timedelta(minutes=5),
    )
    jobs.enqueue("test.record", key="reply", payload={"n": "reply"}, due_at=now)
    jobs.enqueue("test.record", key="old", payload={"n": "old"}, due_at=now - timedelta(minutes=1))
    assert runner.run_due() == 3
    assert [c["n"] for c in calls] == ["old", "reply", "ack"]


def test_a_failure_is_retried_with_backoff_then_given_up(settings):
    settings.JOB_RETRY_BASE_SECONDS = 30
    job = jobs.enqueue("test.fail", key="f")
    job.max_attempts = 2
    job.save()
    runner.run_due()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.PENDING, 1)
    assert job.last_error == "ValueError: smtp said no"
    assert job.due_at > timezone.now() + timedelta(seconds=25)
    assert runner.run_due() == 0  # not due before its back-off
    Job.objects.filter(pk=job.pk).update(due_at=timezone.now())
    runner.run_due()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 2)
    assert job.finished_at is not None


def test_partial_progress_runs_again_without_spending_attempts():
    job = jobs.enqueue("test.partial", key="p", payload={"n": 1})
    assert runner.run_due() == 3
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 1)


def test_a_job_whose_worker_died_is_taken_over_after_its_lease(settings):
    settings.JOB_LEASE_SECONDS = 60
    job = jobs.enqueue("test.record", key="d", payload={"n": 1})
    claimed = runner.claim()  # a worker claims it, then dies without finishing
    assert claimed.pk == job.pk
    assert _state(job) == Job.State.RUNNING
    assert runner.run_due() == 0  # the lease still holds
    Job.objects.filter(pk=job.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    assert runner.run_due() == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, calls) == (Job.State.DONE, 2, [{"n": 1}])
    # the first worker waking up late cannot overwrite the newer claim's outcome
    runner.run_one(claimed)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)


def test_unknown_kind_fails_with_a_reason():
    job = jobs.enqueue("test.nobody", key="u")
    runner.run_due()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "no handler" in job.last_error


def test_one_transaction_sends_one_wake_up(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(5):
            jobs.enqueue("test.record", key=f"fan-{n}", payload={"n": n})
    assert callbacks == [wake]


def test_finished_jobs_are_purged_after_their_retention():
    old = timezone.now() - timedelta(days=20)
    for key, state in (("done", "done"), ("failed", "failed"), ("waiting", "pending")):
        Job.objects.create(
            kind="x", key=key, state=state, due_at=old, created_at=old, finished_at=old
        )
    recent = jobs.enqueue("test.record", key="recent")
    Job.objects.filter(pk=recent.pk).update(state="done", finished_at=timezone.now())
    assert purge_finished(timedelta(days=14)) == 2
    assert set(Job.objects.values_list("key", flat=True)) == {"waiting", "recent"}


def test_the_admin_lists_jobs_read_only_and_runs_failed_ones_again(admin_user):
    from django.test import Client

    failed = jobs.enqueue("test.fail", key="f-admin")
    Job.objects.filter(pk=failed.pk).update(state="failed", attempts=8, last_error="boom")
    client = Client()
    client.force_login(admin_user)
    page = client.get("/admin/csops/job/")
    assert page.status_code == 200
    assert "f-admin" in page.content.decode()
    assert client.get(f"/admin/csops/job/{failed.pk}/change/").status_code == 200  # view only
    client.post("/admin/csops/job/", {"action": "run_again", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("pending", 0)


@pytest.mark.django_db(transaction=True)
def test_threads_run_waiting_jobs_side_by_side_each_once():
    for n in range(12):
        jobs.enqueue("test.wait", key=f"wait-{n}", payload={"n": n})
    started = time.monotonic()
    assert runner.run_due(budget_seconds=60, threads=4) == 12
    took = time.monotonic() - started
    assert sorted(c["n"] for c in calls) == list(range(12))  # each job once
    assert len({c["thread"] for c in calls}) > 1
    assert took < 12 * 0.3  # one at a time would take 3.6 s of sleeping alone
    assert set(Job.objects.values_list("state", flat=True)) == {Job.State.DONE}


def test_inside_a_transaction_jobs_run_one_at_a_time_on_its_connection():
    jobs.enqueue("test.record", key="in-tx", payload={"n": 1})  # uncommitted: the test's
    assert runner.run_due(threads=4) == 1
    assert calls == [{"n": 1}]


@pytest.mark.django_db(transaction=True)
def test_without_skip_locked_jobs_run_one_at_a_time(monkeypatch):
    # as on the embedded SQLite (no FOR UPDATE at all): threads there would claim the same rows
    from django.db import connection

    monkeypatch.setattr(connection.features, "has_select_for_update", False)
    monkeypatch.setattr(connection.features, "has_select_for_update_skip_locked", False)
    for n in range(3):
        jobs.enqueue("test.wait", key=f"alone-{n}", payload={"n": n})
    assert runner.run_due(budget_seconds=60, threads=4) == 3
    assert {c["thread"] for c in calls} == {threading.get_ident()}
