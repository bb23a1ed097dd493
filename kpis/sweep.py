"""The sweeper: tickets whose metric row is missing or older than their log (§ "nothing depends
on every message arriving"): e.g. events committed while the broker was down."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from kpis.models import KpiHeartbeat, TicketMetricsRow
from kpis.refresh import refresh_tickets
from tickets.models import Ticket, TicketEvent

# Rows are compared with tickets changed since the last sweep minus this margin (a commit may
# land after its `updated_at`; the margin covers long transactions).
MARGIN = timedelta(minutes=10)
CHUNK = 1000  # tickets recomputed at once


def stale_ticket_ids(since: datetime | None, limit: int = 5000, *, after: int = 0) -> list[int]:
    t, m, e = Ticket._meta.db_table, TicketMetricsRow._meta.db_table, TicketEvent._meta.db_table
    window = "" if since is None else "AND t.updated_at >= %s"
    sql = (
        f"SELECT t.id FROM {t} t LEFT JOIN {m} m ON m.ticket_id = t.id "
        f"WHERE t.id > %s AND (m.ticket_id IS NULL OR m.source_event_id < "
        f"(SELECT MAX(e.id) FROM {e} e WHERE e.ticket_id = t.id)) {window} "
        f"AND EXISTS (SELECT 1 FROM {e} e2 WHERE e2.ticket_id = t.id) ORDER BY t.id LIMIT %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [after] + ([since] if since is not None else []) + [limit])
        return [pk for (pk,) in cur.fetchall()]


def sweep(*, full: bool = False, budget_seconds: float | None = None) -> int:
    """Recompute every stale ticket, ``CHUNK`` at a time; returns how many rows were rewritten.

    With ``budget_seconds`` (the periodic task passes ``KPI_SWEEP_BUDGET_SECONDS``) a run stops
    once the budget is spent, so a big backlog (a database seeded without a KPI rebuild: every
    ticket is stale) never holds a worker, and the mail or deliveries queued behind it, for
    long. The heartbeat only moves when a run finishes, so the next run goes on with the same
    window. Without a budget it runs to the end."""
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    started = timezone.now()
    last = KpiHeartbeat.objects.filter(name="sweep").values_list("at", flat=True).first()
    since = None if full or last is None else last - MARGIN
    fixed = after = 0
    while True:
        ids = stale_ticket_ids(since, CHUNK, after=after)
        if not ids:
            break
        changed = refresh_tickets(ids)
        fixed += changed
        after = ids[-1]
        if changed == 0:  # nothing applicable (e.g. concurrent writers): stop, retry next run
            break
        if deadline is not None and time.monotonic() >= deadline:
            return fixed  # more next run
    KpiHeartbeat.objects.update_or_create(name="sweep", defaults={"at": started})
    return fixed
