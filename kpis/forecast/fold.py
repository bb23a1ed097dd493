"""Fold new events of the log into ``ArrivalSlot`` counts: one indexed pass over the event
ids past the watermark (the primary key range), one set-based upsert per chunk.

An arrival is a ticket created (any channel) or a customer's public reply, counted at its
instant's reporting-zone half hour, for the ticket's team and channel when folded (a minute
after it happened; a later transfer does not move it). Each chunk's counts and the new
watermark commit together, so a retried or concurrent run never counts an event twice (the
watermark row is locked). ``refold`` recounts everything (after a reporting-zone change).
"""

from __future__ import annotations

from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from kpis.models import ArrivalFold, ArrivalSlot
from kpis.zone import reporting_zone
from tickets.models import TicketEvent

CHUNK = 500_000  # event ids per statement

_ARRIVAL = "(e.type = 'created' OR (e.type = 'public_reply' AND e.actor_role = 'customer'))"

_UPSERT = f"""
INSERT INTO kpis_arrivalslot (day, slot, team_id, channel, n)
SELECT (e.at AT TIME ZONE %(tz)s)::date,
       (extract(hour FROM e.at AT TIME ZONE %(tz)s) * 2
        + floor(extract(minute FROM e.at AT TIME ZONE %(tz)s) / 30))::smallint,
       t.team_id, t.channel, count(*)
FROM tickets_ticketevent e JOIN tickets_ticket t ON t.id = e.ticket_id
WHERE e.id > %(lo)s AND e.id <= %(hi)s AND {_ARRIVAL}
GROUP BY 1, 2, 3, 4
ON CONFLICT (team_id, day, slot, channel) DO UPDATE SET n = kpis_arrivalslot.n + EXCLUDED.n
"""


def _state() -> ArrivalFold:
    ArrivalFold.objects.get_or_create(pk=1)
    return ArrivalFold.objects.select_for_update().get(pk=1)


def _fold_range(lo: int, hi: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(_UPSERT, {"tz": reporting_zone().key, "lo": lo, "hi": hi})
        return
    # The embedded SQLite mode: the same counts, grouped in Python.
    zone = reporting_zone()
    counts: Counter = Counter()
    rows = TicketEvent.objects.filter(pk__gt=lo, pk__lte=hi).values_list(
        "at", "type", "actor_role", "ticket__team_id", "ticket__channel"
    )
    for at, type_, role, team_id, channel in rows.iterator():
        if type_ == "created" or (type_ == "public_reply" and role == "customer"):
            local = at.astimezone(zone)
            counts[(local.date(), local.hour * 2 + local.minute // 30, team_id, channel)] += 1
    for (day, slot, team_id, channel), n in counts.items():
        row, _ = ArrivalSlot.objects.get_or_create(
            day=day, slot=slot, team_id=team_id, channel=channel
        )
        ArrivalSlot.objects.filter(pk=row.pk).update(n=row.n + n)


def fold_arrivals(*, settle: bool = True) -> int:
    """Count events up to the highest id the previous run saw (``settle``; tests and the
    refold pass False to fold everything committed). Returns the events' id span folded."""
    total = 0
    while True:
        with transaction.atomic():
            state = _state()
            newest = TicketEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            limit = min(state.seen_event, newest) if settle else newest
            lo = state.last_event
            hi = min(limit, lo + CHUNK)
            if hi > lo:
                _fold_range(lo, hi)
                state.last_event = hi
            state.seen_event = newest
            state.folded_at = timezone.now()
            state.save()
        total += max(hi - lo, 0)
        if hi >= limit:
            return total


def refold() -> int:
    """Recount every arrival from the log (one chunked pass), e.g. after a zone change."""
    with transaction.atomic():
        state = _state()
        ArrivalSlot.objects.all().delete()
        state.last_event = state.seen_event = 0
        state.generation += 1
        state.save()
    return fold_arrivals(settle=False)


def generation() -> tuple[int, int]:
    """(refold generation, watermark): part of the forecast cache key."""
    row = ArrivalFold.objects.filter(pk=1).values_list("generation", "last_event").first()
    return row or (0, 0)
