"""Recompute per-ticket metric rows from the event log and upsert them (KPI_SPEC.md §4, §9.4).

:func:`refresh_tickets` is the one write path of ``TicketMetricsRow``/``TicketSlaRow``: the
Celery refresh, the sweeper and the full rebuild all call it. It reads the logs of a batch of
tickets, runs the pure ``kpis.metrics.compute`` at each ticket's latest event, and in one
transaction upserts the rows (skipping any row whose stored ``source_event_id`` is already as
new) and marks the rollup buckets of the old and the new attribution days dirty (§9.11). It
also rewrites the ticket's backlog spans and marks dirty the ended days whose backlog they
change (§9.15).
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kpis import backlog_fold, inputs, open_days, rollup
from kpis.backlog import covered_days
from kpis.metrics import NO_PRIORITY, UNASSIGNED, Attribution, TicketMetrics, compute
from kpis.models import TicketBacklogSpan, TicketMetricsRow, TicketSlaRow
from kpis.zone import day_of
from policies.ticket_log import LogEvent
from tickets.models import TicketEvent

# Rollup kind -> the TicketMetricsRow day column it is bucketed by.
DAY_COLUMNS = {
    "created": "created_day",
    "first_reply": "first_reply_day",
    "first_resolution": "first_resolution_day",
    "resolved": "resolved_day",
}
_EVENT_FIELDS = ("id", "ticket_id", "at", "type", "actor_role", "actor_id", "customer_id", "data")
# PostgreSQL: the instant as integer epoch microseconds (``extract`` is numeric, so exact) and
# ``data`` as text. Django's timestamptz loader is pure Python (about 8 µs a row) and most
# events carry ``{}``: these columns decode in C and only non-empty data goes to ``json``.
_PG_EVENT_FIELDS = (
    "id, ticket_id, (extract(epoch FROM at) * 1000000)::bigint, type, actor_role, actor_id, "
    "customer_id, data::text"
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def load_logs(
    ticket_ids: Sequence[int], *, id_range: tuple[int, int] | None = None
) -> dict[int, list[LogEvent]]:
    """Every event of the tickets (or of the ticket id range ``[lo, hi]``), as plain
    ``LogEvent`` ordered by seq: one indexed SQL read, rows decoded without model instances."""
    logs: dict[int, list[LogEvent]] = defaultdict(list)
    table = TicketEvent._meta.db_table
    if id_range is not None:
        where, params = "ticket_id BETWEEN %s AND %s", list(id_range)
    else:
        if not ticket_ids:
            return logs
        where, params = f"ticket_id IN ({', '.join(['%s'] * len(ticket_ids))})", list(ticket_ids)
    postgres = connection.vendor == "postgresql"
    fields = _PG_EVENT_FIELDS if postgres else ", ".join(_EVENT_FIELDS)
    with gc_paused(), connection.cursor() as cur:
        cur.execute(
            f"SELECT {fields} FROM {table} WHERE {where} ORDER BY ticket_id, id",
            params,
        )
        rows = cur.fetchall()
        if postgres:
            _decode_pg(rows, logs)
            return logs
    for pk, ticket_id, at, type_, role, actor_id, customer_id, data in rows:
        if isinstance(data, str):
            data = json.loads(data)
        if isinstance(at, str):  # SQLite
            at = datetime.fromisoformat(at)
        if at.tzinfo is None:  # SQLite stores UTC without an offset
            at = at.replace(tzinfo=UTC)
        logs[ticket_id].append(
            LogEvent(
                seq=pk,
                at=at,
                type=type_,
                actor_role=role,
                actor_id=actor_id if role == "agent" else customer_id,
                data=data,
            )
        )
    return logs


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector. Event rows, logs and metric rows hold no reference
    cycles: made by the thousand, they would otherwise be rescanned by every collection that
    their own allocations trigger (a third of the decoding time); refcounting frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _decode_pg(rows: list[tuple], logs: dict[int, list[LogEvent]]) -> None:
    """``_PG_EVENT_FIELDS`` rows -> ``LogEvent`` (the same values as the generic path: UTC
    datetimes exact to the microsecond, a fresh dict per event). Flat ``data`` (no nested
    object or array: a copy is then a fresh parse) repeats a lot (``{"to": "open", ...}``),
    so each distinct text is parsed once per call."""
    epoch, us, loads = _EPOCH, timedelta(microseconds=1), json.loads
    parsed: dict[str, dict] = {}
    log: list[LogEvent] = []
    current = None
    for pk, ticket_id, at_us, type_, role, actor_id, customer_id, text in rows:
        if ticket_id != current:  # rows come grouped by ticket
            current, log = ticket_id, logs[ticket_id]
        if text == "{}":
            data = {}
        elif (flat := parsed.get(text)) is not None:
            data = flat.copy()
        else:
            data = loads(text)
            if text.count("{") == 1 and "[" not in text:
                parsed[text] = data.copy()
        log.append(
            LogEvent(
                pk,
                epoch + at_us * us,
                type_,
                role,
                actor_id if role == "agent" else customer_id,
                data,
            )
        )


def _ids(a: Attribution | None) -> tuple[Any, Any, str]:
    if a is None:
        return None, None, ""
    agent = None if a.agent == UNASSIGNED else a.agent
    team = None if a.team == UNASSIGNED else a.team
    return agent, team, a.priority


def _attributed(prefix: str, a: Attribution | None) -> dict[str, Any]:
    agent, team, priority = _ids(a)
    return {
        f"{prefix}_day": None if a is None else day_of(a.at),
        f"{prefix}_agent_id": agent,
        f"{prefix}_team_id": team,
        f"{prefix}_priority": priority,
    }


def _secs(prefix: str, d) -> dict[str, int | None]:
    return {
        f"{prefix}_cal": None if d is None else d.calendar_seconds,
        f"{prefix}_bus": None if d is None else d.business_seconds,
    }


def metrics_row(ticket_id: int, source_event_id: int, m: TicketMetrics, now: datetime) -> dict:
    """The column values of one ``TicketMetricsRow``."""
    final = m.final
    assert final is not None
    c_agent, c_team, c_priority = _ids(m.created)
    row: dict[str, Any] = {
        "ticket_id": ticket_id,
        "source_event_id": source_event_id,
        "last_event_at": m.last_event_at,
        "computed_at": now,
        "created_at": m.created.at,
        "created_day": day_of(m.created.at),
        "created_agent_id": c_agent,
        "created_team_id": c_team,
        "created_priority": c_priority,
        "channel": m.channel or "",
        "inbound": m.inbound,
        "status": final.status,
        "current_agent_id": final.assignee,
        "current_team_id": final.team,
        "current_priority": final.priority or NO_PRIORITY,
        "resolved": m.resolved,
        **_secs("first_reply", m.first_reply),
        "first_reply_at": m.first_reply_attribution and m.first_reply_attribution.at,
        **_attributed("first_reply", m.first_reply_attribution),
        **_secs("first_resolution", m.first_resolution),
        "first_resolution_at": m.first_resolution_attribution and m.first_resolution_attribution.at,
        **_attributed("first_resolution", m.first_resolution_attribution),
        **_secs("full_resolution", m.full_resolution),
        "resolved_at": m.resolution_attribution and m.resolution_attribution.at,
        **_attributed("resolved", m.resolution_attribution),
        "reopens": m.reopens,
        "agent_replies": m.agent_replies,
        "customer_followups": m.customer_followups,
        "escalations": m.escalations,
        "assignee_stations": m.assignee_stations,
        "group_stations": m.group_stations,
        "zero_touch": m.zero_touch,
        "one_touch": m.one_touch,
        "two_touch": m.two_touch,
        "fcr": m.fcr,
    }
    for name in ("requester_wait", "agent_work", "agent_wait", "on_hold"):
        row.update(_secs(name, getattr(m, name)))
    return row


def sla_rows(ticket_id: int, row: dict, m: TicketMetrics) -> list[dict]:
    """``TicketSlaRow`` values for the reported instances (§5)."""
    out = []
    for o in m.sla:
        i = o.instance
        finished = i.end_reason is not None and not (
            i.metric in ("requester_wait", "agent_work") and not m.resolved
        )
        a = o.attribution
        if a is None:  # unfinished (or cancelled): a later breach lands on the current state
            agent, team, priority = (
                row["current_agent_id"],
                row["current_team_id"],
                row["current_priority"],
            )
        else:
            agent, team, priority = _ids(a)
        outcome_at = a.at if a is not None else (i.due_at if not finished else None)
        out.append(
            {
                "ticket_id": ticket_id,
                "metric": i.metric,
                "index": i.index,
                "activated_at": i.activated_at,
                "ended_at": i.ended_at,
                "finished": finished,
                "outcome": i.outcome,
                "due_at": i.due_at,
                "outcome_at": outcome_at,
                "outcome_day": None if outcome_at is None else day_of(outcome_at),
                "agent_id": agent,
                "team_id": team,
                "priority": priority,
                "channel": row["channel"],
            }
        )
    return out


_COLUMNS: list[str] = [str(f.column) for f in TicketMetricsRow._meta.concrete_fields]
_DAY_COLS = list(DAY_COLUMNS.values())


def _row_buckets(before: dict | None, after: dict | None) -> set[tuple[str, date]]:
    """The (kind, day) buckets a ticket's metric row change touches (``None``: no row): every
    day either version is attributed to, and its creation day when it moves into, out of or
    within the backlog."""
    rows = [r for r in (before, after) if r is not None]
    touched = {
        (kind, r[col]) for r in rows for kind, col in DAY_COLUMNS.items() if r[col] is not None
    }
    status = [None if r is None else r["status"] for r in (before, after)]
    if open_days.backlog_class(status[0]) != open_days.backlog_class(status[1]):
        touched.add((open_days.OPEN, rows[0]["created_day"]))
    return touched


def _upsert_sql(n: int) -> str:
    table = TicketMetricsRow._meta.db_table
    cols = ", ".join(_COLUMNS)
    one = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS if c != "ticket_id")
    return (
        f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * n)} "
        f"ON CONFLICT (ticket_id) DO UPDATE SET {sets} "
        f"WHERE {table}.source_event_id < EXCLUDED.source_event_id RETURNING ticket_id"
    )


def span_rows(ticket_id: int, row: dict, m: TicketMetrics) -> list[dict]:
    """``TicketBacklogSpan`` values: the spans that count on at least one day (§9.15)."""
    out = []
    for span in m.backlog:
        days = covered_days(span, day_of)
        if days is None:
            continue
        out.append(
            {
                "ticket_id": ticket_id,
                "start": span.start,
                "end": span.end,
                "first_day": days[0],
                "last_day": days[1],
                "actionable": span.actionable,
                "team_id": span.team,
                "agent_id": span.agent,
                "priority": span.priority,
                "channel": row["channel"],
                "created_at": row["created_at"],
            }
        )
    return out


@dataclass
class Computed:
    """A batch's rows: metric rows, and SLA instances and backlog spans per ticket."""

    rows: list[dict]
    slas: dict[int, list[dict]]
    spans: dict[int, list[dict]]


def compute_rows(
    ticket_ids: Sequence[int], now: datetime, *, id_range: tuple[int, int] | None = None
) -> Computed:
    with gc_paused():
        logs = load_logs(ticket_ids, id_range=id_range)
        versions = inputs.sla_inputs(logs.keys())
        out = Computed([], {}, {})
        for ticket_id, log in logs.items():
            policy, schedule = versions[ticket_id]
            last = log[-1]
            m = compute(log, sla_policy=policy, schedule=schedule, as_of=last.at)
            row = metrics_row(ticket_id, last.seq, m, now)
            out.rows.append(row)
            out.slas[ticket_id] = sla_rows(ticket_id, row, m)
            out.spans[ticket_id] = span_rows(ticket_id, row, m)
    return out


def refresh_tickets(ticket_ids: Iterable[int], *, batch: int = 500) -> int:
    """Recompute and upsert the tickets' rows; returns how many rows changed."""
    ids = sorted(set(ticket_ids))
    changed = 0
    for i in range(0, len(ids), batch):
        changed += _refresh_batch(ids[i : i + batch])
    return changed


def _refresh_batch(ids: list[int]) -> int:
    now = timezone.now()
    computed = compute_rows(ids, now)
    rows, slas = computed.rows, computed.slas
    if not rows:
        return 0
    with transaction.atomic():
        old = {
            r["ticket_id"]: r
            for r in TicketMetricsRow.objects.select_for_update()
            .filter(ticket_id__in=[r["ticket_id"] for r in rows])
            .values("ticket_id", "source_event_id", "status", *_DAY_COLS)
        }
        fresh = [
            r
            for r in rows
            if r["ticket_id"] not in old
            or old[r["ticket_id"]]["source_event_id"] < r["source_event_id"]
        ]
        if not fresh:
            return 0
        with connection.cursor() as cur:
            cur.execute(_upsert_sql(len(fresh)), [r[c] for r in fresh for c in _COLUMNS])
            applied = {pk for (pk,) in cur.fetchall()}
        dirty: set[tuple[str, date]] = set()
        for r in fresh:
            if r["ticket_id"] in applied:
                dirty |= _row_buckets(old.get(r["ticket_id"]), r)
        old_sla_days = TicketSlaRow.objects.filter(
            ticket_id__in=applied, finished=True, outcome_day__isnull=False
        ).values_list("outcome_day", flat=True)
        dirty |= {("sla", d) for d in old_sla_days if d is not None}
        TicketSlaRow.objects.filter(ticket_id__in=applied).delete()
        new_sla = [TicketSlaRow(**s) for pk in applied for s in slas[pk]]
        TicketSlaRow.objects.bulk_create(new_sla)
        for s in new_sla:
            if s.finished and s.outcome_day is not None:
                dirty.add(("sla", s.outcome_day))
        dirty |= {(rollup.BACKLOG, d) for d in _replace_spans(applied, computed.spans, now)}
        rollup.mark_dirty(dirty, now)
    return len(applied)


_SPAN_KEY = ("first_day", "last_day", "actionable", "team_id", "agent_id", "channel", "priority")


def _replace_spans(applied: set[int], spans: dict[int, list[dict]], now: datetime) -> set[date]:
    """Rewrite the tickets' backlog spans; returns the ended days whose counts change."""
    old: dict[int, list[tuple]] = defaultdict(list)
    for row in TicketBacklogSpan.objects.filter(ticket_id__in=applied).values_list(
        "ticket_id", *_SPAN_KEY
    ):
        old[row[0]].append(row[1:])
    changed: set[date] = set()
    for pk in applied:
        new = [tuple(s[k] for k in _SPAN_KEY) for s in spans[pk]]
        changed |= backlog_fold.changed_days(old[pk], new, now)
    TicketBacklogSpan.objects.filter(ticket_id__in=applied).delete()
    TicketBacklogSpan.objects.bulk_create(
        [TicketBacklogSpan(**s) for pk in applied for s in spans[pk]]
    )
    return changed


def forget_tickets(ticket_ids: Iterable[int], now: datetime | None = None) -> None:
    """Tickets about to be deleted leave the KPIs: every day their metric, SLA and backlog
    rows counted on is marked dirty, in the deleting transaction, so the fold recounts those
    days without them once the rows are gone."""
    ids = list(ticket_ids)
    now = now or timezone.now()
    dirty: set[tuple[str, date]] = set()
    for row in TicketMetricsRow.objects.filter(ticket_id__in=ids).values("status", *_DAY_COLS):
        dirty |= _row_buckets(row, None)
    sla_days = TicketSlaRow.objects.filter(
        ticket_id__in=ids, finished=True, outcome_day__isnull=False
    ).values_list("outcome_day", flat=True)
    dirty |= {("sla", d) for d in sla_days}
    spans = TicketBacklogSpan.objects.filter(ticket_id__in=ids).values_list(*_SPAN_KEY)
    dirty |= {(rollup.BACKLOG, d) for d in backlog_fold.changed_days(spans, [], now)}
    rollup.mark_dirty(dirty, now)
