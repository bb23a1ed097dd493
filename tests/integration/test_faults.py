"""Background work survives its faults (DESIGN.md, "Background work that survives faults").

Real parts: a Redis server of the test's own (stopped and started again), real Celery workers
and beat, PostgreSQL. The broker goes away while people write; a worker, and separately one
pool child, is SIGKILLed in the middle of an incident update's 200 deliveries. Every write
still answers success, every job finishes exactly once, and the KPIs equal a full refold.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from csops.models import Heartbeat, Job
from kpis import sweep, verify
from kpis.models import TicketMetricsRow
from tests.factories import CustomerFactory, make_incident, make_ticket
from tests.integration.faults import (
    children,
    kill,
    publishing_to,
    redis_server,
    running_beat,
)
from tests.integration.worker import running_worker
from tickets import services
from tickets.models import IncidentDelivery, IncidentUpdate, Ticket, TicketEvent
from tickets.services import incidents

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

FAST = {"JOB_POLL_SECONDS": "1", "JOB_LEASE_SECONDS": "4", "KPI_SWEEP_SECONDS": "3"}


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return predicate()


def _worker_alive() -> bool:
    return Heartbeat.objects.filter(component="worker").exists()


def _replies(ticket_ids: list[int], body: str) -> Counter:
    return Counter(
        TicketEvent.objects.filter(
            ticket_id__in=ticket_ids, type="public_reply", body=body
        ).values_list("ticket_id", flat=True)
    )


def _metrics_current() -> bool:
    return not sweep.stale_ticket_ids(None) and verify.pending() == 0


def test_broker_outage_loses_no_write_and_no_job(
    team, rep, manager, manager_client, record_property
):
    with redis_server() as redis, publishing_to(redis.url):
        env = {**FAST, "CELERY_BROKER_URL": redis.url, "REDIS_URL": redis.url}
        with running_worker(beat=True, env=env, purge=False) as worker:
            assert _wait_for(_worker_alive, 30), "the worker never reported"
            tickets = [make_ticket(team, by=rep).pk for _ in range(20)]
            incident = make_incident(manager, team, tickets[:10])
            for pk in tickets[:5]:
                services.reply(pk, by=rep, body="Looking into it.", public=True)
            # the worker idle first: a run of due jobs still going would claim jobs enqueued
            # during the outage (it runs until none is due), and the test would prove nothing
            assert _wait_for(lambda: not Job.objects.exclude(state=Job.State.DONE).exists(), 60)

            redis.stop()
            # while the broker is down: writes through the API and the services all succeed
            response = manager_client.post(
                f"/api/v1/incidents/{incident.pk}/updates/",
                {"body": "A fix is rolling out."},
                content_type="application/json",
            )
            assert response.status_code == 202, response.content
            assert response["Content-Type"] == "application/json"
            for pk in tickets[5:]:
                version = Ticket.objects.values_list("version", flat=True).get(pk=pk)
                response = manager_client.patch(
                    f"/api/v1/tickets/{pk}/",
                    {"priority": "high", "version": version},
                    content_type="application/json",
                )
                assert response.status_code == 200, response.content
                services.reply(pk, by=rep, body="Still on it.", public=True)
            created = manager_client.post(
                "/api/v1/tickets/",
                {
                    "subject": "Refund",
                    "description": "Please refund.",
                    "team": team.pk,
                    "requester": CustomerFactory().pk,
                    "channel": "email",
                },
                content_type="application/json",
            )
            assert created.status_code == 201, created.content
            tickets.append(created.json()["id"])
            update = IncidentUpdate.objects.get(body="A fix is rolling out.")
            # jobs do not need the broker: the worker's job threads hear PostgreSQL's NOTIFY
            started = time.monotonic()
            assert _wait_for(
                lambda: IncidentUpdate.objects.filter(
                    pk=update.pk, finished_at__isnull=False
                ).exists(),
                30,
            ), "the incident update waited for the broker"
            record_property(
                "update_delivered_during_outage_s", round(time.monotonic() - started, 1)
            )
            assert redis.proc is None  # still down

            redis.start()
            started = time.monotonic()
            assert _wait_for(_metrics_current, 60 - (time.monotonic() - started)), (
                "KPIs still stale 60 s after the broker came back"
            )
            record_property("kpis_current_after_restart_s", round(time.monotonic() - started, 1))
            assert worker.poll() is None, "the worker exited when Redis went away"
    assert _replies(tickets[:10], "A fix is rolling out.") == dict.fromkeys(tickets[:10], 1)
    assert TicketMetricsRow.objects.filter(ticket_id__in=tickets).count() == len(tickets)
    assert verify.differences() == []
    assert not Job.objects.exclude(state=Job.State.DONE).exists()


def _delivery_outcome(update: IncidentUpdate, tickets: list[int]) -> None:
    update.refresh_from_db()
    assert (update.done, update.total) == (len(tickets), len(tickets))
    assert _replies(tickets, update.body) == dict.fromkeys(tickets, 1)
    assert not IncidentDelivery.objects.filter(update=update, state="pending").exists()
    job = Job.objects.get(key=f"incident-update:{update.pk}")
    assert job.state == Job.State.DONE
    assert job.attempts >= 2  # the killed run and the one that took over


def _post_big_update(manager, team, body: str) -> tuple[IncidentUpdate, list[int]]:
    tickets = [make_ticket(team).pk for _ in range(200)]
    incident = make_incident(manager, team, tickets)
    return incidents.post_update(incident.pk, by=manager, body=body), tickets


def _kill_when_partly_done(update: IncidentUpdate, victim, record_property) -> int:
    """SIGKILL ``victim()`` once 60 deliveries are done; returns how many were done."""
    assert _wait_for(lambda: IncidentUpdate.objects.get(pk=update.pk).done >= 60, 60), (
        "the worker never started delivering"
    )
    kill(victim())
    done = IncidentUpdate.objects.get(pk=update.pk).done
    assert done < 200, "the update finished before the kill: the test proved nothing"
    record_property("delivered_at_kill", done)
    return done


def test_a_killed_worker_update_is_finished_by_another_exactly_once(manager, team, record_property):
    update, tickets = _post_big_update(manager, team, "Card payments work again.")
    with running_worker(beat=True, env=FAST) as worker:
        _kill_when_partly_done(update, lambda: worker.pid, record_property)
        worker.wait(timeout=10)
    with running_worker(beat=True, env=FAST):
        assert _wait_for(
            lambda: IncidentUpdate.objects.filter(pk=update.pk, finished_at__isnull=False).exists(),
            60,
        ), "no worker finished the update"
    _delivery_outcome(update, tickets)


def test_a_killed_pool_child_update_is_finished_exactly_once(manager, team, record_property):
    update, tickets = _post_big_update(manager, team, "Refunds are on their way.")
    with running_worker(pool="prefork", env=FAST) as worker, running_beat(FAST):
        assert _wait_for(lambda: len(children(worker.pid)) == 1, 30)
        (child,) = children(worker.pid)
        _kill_when_partly_done(update, lambda: child, record_property)
        # the worker replaces its child; the job's lease passes and beat re-drives it
        assert _wait_for(
            lambda: IncidentUpdate.objects.filter(pk=update.pk, finished_at__isnull=False).exists(),
            60,
        ), "the update was left unfinished after its pool child died"
        assert worker.poll() is None
        assert children(worker.pid)
        assert child not in children(worker.pid)
    _delivery_outcome(update, tickets)
