"""The sweeper: tickets whose metric row is missing or older than their log (§ "nothing depends
on every message arriving"): e.g. events committed while the broker was down."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from kpis.models import KpiHeartbeat, TicketMetricsRow
from kpis.refresh import refresh_tickets
from tickets.models import Ticket, TicketEvent

# Rows are compared with tickets changed since the last sweep minus this margin (a commit may
# land after its `updated_at`; the margin covers long transactions).
MARGIN = timedelta(minutes=10)


def stale_ticket_ids(since: datetime | None, limit: int = 5000) -> list[int]:
    t, m, e = Ticket._meta.db_table, TicketMetricsRow._meta.db_table, TicketEvent._meta.db_table
    window = "" if since is None else "AND t.updated_at >= %s"
    sql = (
        f"SELECT t.id FROM {t} t LEFT JOIN {m} m ON m.ticket_id = t.id "
        f"WHERE (m.ticket_id IS NULL OR m.source_event_id < "
        f"(SELECT MAX(e.id) FROM {e} e WHERE e.ticket_id = t.id)) {window} "
        f"AND EXISTS (SELECT 1 FROM {e} e2 WHERE e2.ticket_id = t.id) ORDER BY t.id LIMIT %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, ([since] if since is not None else []) + [limit])
        return [pk for (pk,) in cur.fetchall()]


def sweep(*, full: bool = False) -> int:
    """Recompute every stale ticket; returns how many rows were rewritten."""
    started = timezone.now()
    last = KpiHeartbeat.objects.filter(name="sweep").values_list("at", flat=True).first()
    since = None if full or last is None else last - MARGIN
    fixed = 0
    while True:
        ids = stale_ticket_ids(since)
        if not ids:
            break
        changed = refresh_tickets(ids)
        fixed += changed
        if changed == 0:  # nothing applicable (e.g. concurrent writers): stop, retry next run
            break
    KpiHeartbeat.objects.update_or_create(name="sweep", defaults={"at": started})
    return fixed
