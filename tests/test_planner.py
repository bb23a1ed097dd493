"""``csops.planner.joins_as_written``: the workspace's ticket read is planned in the written
join order, and the setting never outlives the block (the connection is reused)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from csops.planner import joins_as_written

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


def test_joins_are_planned_as_written_inside_and_reset_after():
    default = _limit()
    assert default != "1"
    with joins_as_written():
        assert _limit() == "1"
    assert _limit() == default


def test_a_failing_query_inside_still_resets_the_setting():
    default = _limit()
    with pytest.raises(DatabaseError), joins_as_written(), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert _limit() == default


def test_inside_a_transaction_it_changes_nothing():
    default = _limit()
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx, joins_as_written():
        assert _limit() == default
    assert [q["sql"] for q in ctx.captured_queries] == ["SHOW join_collapse_limit"]
