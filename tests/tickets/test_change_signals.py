"""Ticket changes are signalled on commit: each ticket once, then the lot once per transaction
(the analytics layer queues one metric refresh for a whole batch of ingested mail)."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.factories import make_ticket
from tickets.signals import ticket_changed, tickets_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    got: dict[str, list] = {"each": [], "lot": []}

    def each(sender, ticket_id, **kwargs):
        got["each"].append(ticket_id)

    def lot(sender, ticket_ids, **kwargs):
        got["lot"].append(ticket_ids)

    ticket_changed.connect(each, dispatch_uid="test-each")
    tickets_changed.connect(lot, dispatch_uid="test-lot")
    yield got
    ticket_changed.disconnect(dispatch_uid="test-each")
    tickets_changed.disconnect(dispatch_uid="test-lot")


def test_a_transaction_signals_each_ticket_then_all_of_them_once(
    team, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a = make_ticket(team)
        b = make_ticket(team)
        c = make_ticket(team)
        assert heard == {"each": [], "lot": []}  # nothing before the commit
    assert heard["each"] == [a.pk, b.pk, c.pk]
    assert heard["lot"] == [[a.pk, b.pk, c.pk]]


def _make_ticket_then_fail(team) -> None:
    with transaction.atomic():  # a savepoint inside the test's transaction
        make_ticket(team)
        raise RuntimeError("undo")


def test_a_change_rolled_back_with_its_savepoint_is_not_signalled(
    team, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError, match="undo"):
            _make_ticket_then_fail(team)
        kept = make_ticket(team)
    assert heard["each"] == [kept.pk]
    assert heard["lot"] == [[kept.pk]]
