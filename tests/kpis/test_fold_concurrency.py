"""Folds of the same buckets at once (issue 13 §2): they exclude each other, a change marked
during a fold is folded after it, every rollup table keeps its natural key unique, and the
stored rollups equal a fresh computation afterwards (``kpis.verify``, ``manage.py
verify_kpis``)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, connections, transaction

from kpis import backlog_fold, open_days, rollup, verify
from kpis.models import DailyBacklog, DailyHistogram, DailyRollup, DirtyBucket, TicketMetricsRow
from kpis.refresh import refresh_tickets
from tickets.models import Ticket
from tickets.seeding import seed
from tickets.services import tickets as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _folded_history(n: int = 300) -> None:
    """``n`` seeded tickets with their metric rows and every rollup folded."""
    seed(n, seed=13)
    refresh_tickets(Ticket.objects.values_list("pk", flat=True))
    rollup.fold_dirty()
    backlog_fold.close_days()


def _act(rng: random.Random, agent: User) -> int:
    """One action on an unclosed ticket through the services (a solve, a customer reply
    reopening it, or a priority change); returns the ticket's id."""
    ticket = rng.choice(list(Ticket.objects.exclude(status="closed").only("pk", "status")))
    if ticket.status == "solved" or rng.random() < 0.3:
        requester = Ticket.objects.get(pk=ticket.pk).requester
        services.customer_reply(ticket.pk, customer=requester, body="Any news?")
    elif rng.random() < 0.5:
        services.reply(
            ticket.pk, by=agent, body="Solved", new_status="solved", confirm_open_children=True
        )  # the demo has a parent with open children
    else:
        priority = rng.choice(["low", "normal", "high", "urgent"])
        services.update_ticket(ticket.pk, by=agent, expected_version=None, priority=priority)
    return ticket.pk


def _thread(target: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            target()
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run, daemon=True)


def _days(kind_column: str) -> list:
    return sorted(
        set(
            TicketMetricsRow.objects.exclude(**{f"{kind_column}__isnull": True}).values_list(
                kind_column, flat=True
            )
        )
    )


def test_overlapping_folds_while_writing_equal_a_full_rebuild(director):
    _folded_history()
    assert verify.differences() == []
    days = {
        kind: _days(column)
        for kind, column in (
            ("created", "created_day"),
            ("first_reply", "first_reply_day"),
            ("resolved", "resolved_day"),
        )
    }
    recent = days["created"][-20:]
    writing = threading.Event()
    writing.set()
    errors: list[BaseException] = []
    rounds = [0, 0, 0]

    def writer() -> None:
        rng = random.Random(1)
        try:
            for _ in range(120):
                refresh_tickets([_act(rng, director)])  # what the refresh task does
        finally:
            writing.clear()

    def folder(i: int) -> Callable[[], None]:
        def run() -> None:
            rng = random.Random(100 + i)
            while writing.is_set():
                # the periodic fold, and direct refolds of the same buckets in any order
                rollup.fold_dirty(batch=rng.randint(1, 20))
                kinds = [*days, "sla"]
                rng.shuffle(kinds)
                for kind in kinds:
                    pool = days.get(kind, recent)
                    rollup.fold_days(kind, rng.sample(pool, min(len(pool), 15)))
                backlog_fold.fold_days(rng.sample(recent, 10))
                open_days.fold_days(rng.sample(recent, 10))
                if i == 0 and rounds[i] % 3 == 0:
                    rollup.fold_all(workers=2)  # a rebuild's refold, in parallel parts
                rounds[i] += 1

        return run

    threads = [_thread(writer, errors)] + [_thread(folder(i), errors) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert min(rounds) >= 3  # every folder overlapped the writer several times

    rollup.fold_dirty()
    backlog_fold.close_days()
    assert not DirtyBucket.objects.exists()
    assert verify.differences() == []
    call_command("verify_kpis", stdout=(out := StringIO()))
    assert "equal a fresh computation" in out.getvalue()


def test_a_change_marked_during_a_fold_is_folded_after_it(director):
    """The bucket stays claimed by the fold in flight (no second fold takes it) and is folded
    again once that fold ends."""
    _folded_history(120)
    ticket = Ticket.objects.exclude(status__in=["closed", "solved"]).order_by("pk").first()
    assert ticket is not None
    day = TicketMetricsRow.objects.get(ticket_id=ticket.pk).created_day
    real_fold = rollup.fold_days
    seen: dict[str, object] = {}

    def created_claim():
        return DirtyBucket.objects.filter(kind="created", day=day).values_list(
            "claimed_at", flat=True
        )

    def write_meanwhile() -> None:
        claim = created_claim().get()
        services.reply(ticket.pk, by=director, body="Done", new_status="solved")
        refresh_tickets([ticket.pk])  # re-marks the created bucket, marks its solve day
        seen["re-marked"] = created_claim().get()
        rollup.fold_dirty()  # a second worker: folds the new buckets, not the claimed one
        seen["kept"] = created_claim().get() == claim is not None

    def fold_with_a_write(kind, days):
        real_fold(kind, days)
        if not seen:
            errors: list[BaseException] = []
            other = _thread(write_meanwhile, errors)
            other.start()
            other.join(timeout=60)
            assert errors == []

    rollup.mark_dirty([("created", day)])
    rollup.fold_days = fold_with_a_write
    try:
        assert rollup.fold_dirty() == 2  # the first claim, then the re-marked bucket
    finally:
        rollup.fold_days = real_fold
    assert seen["re-marked"] is not None  # the mark did not un-claim the bucket
    assert seen["kept"] is True
    assert not DirtyBucket.objects.exists()
    backlog_fold.close_days()
    assert verify.differences() == []


def test_a_second_fold_of_a_bucket_waits_for_the_first(director):
    _folded_history(80)
    day = _days("created_day")[-1]
    before = DailyRollup.objects.filter(kind="created", day=day).count()
    assert before > 0
    done = threading.Event()
    errors: list[BaseException] = []

    def second() -> None:
        rollup.fold_days("created", [day])
        done.set()

    with transaction.atomic():
        rollup.fold_days("created", [day])  # holds the bucket until this block ends
        other = _thread(second, errors)
        other.start()
        time.sleep(1.0)
        assert not done.is_set()
    other.join(timeout=30)
    assert done.is_set()
    assert errors == []
    assert DailyRollup.objects.filter(kind="created", day=day).count() == before


@pytest.mark.parametrize(
    ("model", "copy"),
    [
        (DailyRollup, {"kind": "created"}),
        (DailyHistogram, {"kind": "first_reply"}),
        (DailyBacklog, {}),
    ],
)
def test_every_rollup_table_refuses_a_second_row_of_a_key(director, model, copy):
    _folded_history(80)
    row = model.objects.filter(team_id__isnull=True, **copy).first()
    assert row is not None  # the null team (all teams, or unassigned) is part of the key
    row.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_verify_names_each_differing_row_and_fails(director):
    _folded_history(80)
    day = _days("first_reply_day")[-3]  # an ended day: it has a daily backlog
    row = DailyRollup.objects.filter(kind="first_reply", day=day, level=2).get()
    DailyRollup.objects.filter(pk=row.pk).update(n=row.n + 5)
    DailyBacklog.objects.filter(day=day, level=2).delete()

    found = verify.differences(start=day, end=day)
    tables = sorted(d.table for d in found)
    assert tables == ["kpis_dailybacklog", "kpis_dailyrollup"]
    rollup_diff = next(d for d in found if d.table == "kpis_dailyrollup")
    assert rollup_diff.key["kind"] == "first_reply"
    assert rollup_diff.key["day"] == day
    assert (rollup_diff.stored["n"], rollup_diff.fresh["n"]) == (row.n + 5, row.n)
    backlog_diff = next(d for d in found if d.table == "kpis_dailybacklog")
    assert backlog_diff.stored is None
    assert backlog_diff.fresh["n"] > 0
    # verify changed nothing
    assert DailyRollup.objects.get(pk=row.pk).n == row.n + 5
    assert not DailyBacklog.objects.filter(day=day, level=2).exists()

    out = StringIO()
    with pytest.raises(CommandError, match="2 rollup row"):
        call_command("verify_kpis", "--start", str(day), "--end", str(day), stdout=out)
    assert f"kind=first_reply level=2 day={day}" in out.getvalue()
    with pytest.raises(CommandError, match="Not a date"):
        call_command("verify_kpis", "--start", "yesterday")
    assert connection.vendor == "postgresql"
