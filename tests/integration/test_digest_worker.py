"""KPI digests with a real Celery worker and beat on Redis and a real SMTP server: beat makes
the digest run due, the worker queues each subscription's digest and sends it. A worker killed
(SIGKILL) in the middle of the run leaves no digest twice and none lost: once the run's lease
passes, a new worker finishes it, and each subscriber gets exactly one digest of the week."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from kpis.digests import services
from kpis.digests.models import DigestDelivery, DigestSubscription
from tests.factories import UserFactory
from tests.integration.faults import kill
from tests.integration.worker import running_worker
from tests.tickets.smtp_peer import smtp_server
from tickets.mail.models import OutboundMessage, OutboxState

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SUBSCRIBERS = 40


def _wait_for(predicate, timeout: float = 120.0, every: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


def _log(worker) -> str:
    with open(worker.log_path) as log:
        return log.read()[-3000:]


def test_a_worker_killed_mid_run_leaves_each_digest_sent_once(team, record_property):
    # given 40 directors subscribed to the weekly digest well before last week
    long_ago = timezone.now() - timedelta(days=40)
    for n in range(SUBSCRIBERS):
        user = UserFactory(username=f"dir{n}", role="Director")
        sub = services.subscribe(by=user, cadence="weekly", teams=[])
        DigestSubscription.objects.filter(pk=sub.pk).update(since=long_ago)
    with smtp_server() as (port, inbox):
        env = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "DIGEST_RUN_SECONDS": "1",
            "JOB_POLL_SECONDS": "1",
            "JOB_LEASE_SECONDS": "3",
        }
        # when the worker is killed once a few digests are queued, before all are
        with running_worker(beat=True, env=env) as worker:
            assert _wait_for(lambda: DigestDelivery.objects.count() >= 3), _log(worker)
            kill(worker.pid)
            worker.wait(timeout=10)
        at_kill = DigestDelivery.objects.count()
        record_property("digests_queued_at_kill", at_kill)
        assert at_kill < SUBSCRIBERS, "the run finished before the kill: proved nothing"
        # then a new worker takes the run over after its lease and finishes it
        with running_worker(beat=True, env=env, purge=False) as worker:
            assert _wait_for(
                lambda: (
                    OutboundMessage.objects.filter(kind="digest", state=OutboxState.SENT).count()
                    == SUBSCRIBERS
                ),
                timeout=240,
            ), _log(worker)
            time.sleep(2.5)  # two more runs: nothing is queued twice
    # one delivery of last week per subscriber, each with its one mail
    assert DigestDelivery.objects.count() == SUBSCRIBERS
    assert set(DigestDelivery.objects.values_list("state", flat=True)) == {"queued"}
    assert len(set(DigestDelivery.objects.values_list("period_start", flat=True))) == 1
    rows = OutboundMessage.objects.filter(kind="digest")
    assert rows.count() == SUBSCRIBERS
    # and the SMTP server got each subscriber's digest (one Message-ID each; a send cut off by
    # the kill may arrive twice with the same Message-ID, never as a second digest)
    got: dict[str, set[str]] = {}
    for message in inbox:
        got.setdefault(message["To"], set()).add(message["Message-ID"].strip())
    assert sorted(got) == sorted(f"dir{n}@staff.example.com" for n in range(SUBSCRIBERS))
    assert all(len(ids) == 1 for ids in got.values())
    assert {i for ids in got.values() for i in ids} == set(
        rows.values_list("message_id", flat=True)
    )
    assert all(m["Subject"].startswith("KPI digest: Week ") for m in inbox)
