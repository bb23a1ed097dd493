"""Bulk load on PostgreSQL: COPY in batches from a generator thread.

One worker thread simulates tickets and renders COPY text; the calling thread streams it to
the server, so Python and PostgreSQL each keep a core busy. Ticket ids are reserved from the
ticket sequence up front; event ids come from their sequence in COPY order, which is the
log order. Tickets go through a temporary staging table so ``search_vector`` is computed
by ``to_tsvector('english', ...)`` in the same pass that inserts them.

For a big load (``bulk=True``) the secondary indexes and foreign keys of the ticket, event
and tag tables are dropped first and recreated at the end, in the same transaction: one
index build beats millions of index inserts, and a crash rolls the DDL back with the data.
"""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection

from tickets.models import (
    Customer,
    Organization,
    SlaAlert,
    Ticket,
    TicketEvent,
    TicketSlaBreach,
    TicketSlaInstance,
)
from tickets.seeding.simulate import INTERNAL_NOTE, PRIORITY_RANK, PUBLIC_REPLY, SYSTEM, SimTicket
from tickets.seeding.sla_state import LiveClocks

BATCH_TICKETS = 5000
NULL = "\\N"
_SPECIAL = re.compile(r"[\\\t\n\r]")
_STAGE = "seed_ticket_stage"
TICKET_COLUMNS = (
    "id", "subject", "description", "status", "priority", "priority_rank", "channel", "team_id",
    "assignee_id", "requester_id", "category_id", "initiated_by", "created_at", "updated_at",
    "solved_at", "version", "sla_policy_version_id", "calendar_version_id", "next_sla_due_at",
)  # fmt: skip
_MESSAGES = (PUBLIC_REPLY, INTERNAL_NOTE)  # indexed for search (system auto-replies are not)
EVENT_COLUMNS = ("ticket_id", "at", "type", "actor_role", "actor_id", "customer_id", "data", "body")
# The live SLA rows of unresolved tickets (``sla_state``): model, columns (= dict keys).
CLOCK_TABLES = (
    ("instances", TicketSlaInstance, (
        "ticket_id", "metric", "index", "activated_at", "ended_at", "end_reason",
        "target_minutes", "business", "elapsed_seconds", "due_at", "breached_at", "at_risk_at",
        "outcome", "state", "trail", "calendar_version_id", "evaluated_at",
    )),
    ("breaches", TicketSlaBreach, ("ticket_id", "metric", "index", "breached_at")),
    ("alerts", SlaAlert, ("ticket_id", "metric", "index", "kind", "at", "recorded_at")),
)  # fmt: skip


def _escape(value: str) -> str:
    """COPY text format: only backslash, tab and newlines need escaping."""
    if _SPECIAL.search(value) is None:
        return value
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _drop_secondary_indexes(cur, table: str) -> list[str]:
    """Drop the table's indexes that back no constraint; return their definitions."""
    cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT i.indisunique "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [table],
    )
    dropped = []
    for name, definition in cur.fetchall():
        cur.execute(f"DROP INDEX {name}")
        dropped.append(definition)
    return dropped


class _Timestamps:
    """Epoch seconds -> 'YYYY-MM-DD HH:MM:SS+00' without a datetime per value."""

    def __init__(self) -> None:
        self.days: dict[int, str] = {}
        self.clock = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(86400)]

    def __call__(self, t: int | None) -> str:
        if t is None:
            return NULL
        day, sec = divmod(t, 86400)
        prefix = self.days.get(day)
        if prefix is None:
            prefix = self.days[day] = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d ")
        return prefix + self.clock[sec]


def _opt(value: int | None) -> str:
    return NULL if value is None else str(value)


def _copy_value(value) -> str:
    """One COPY text field of any column type the SLA rows use."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | dict):
        return _escape(json.dumps(value))
    return _escape(str(value))


@dataclass
class _Batch:
    tickets: bytes
    events: bytes
    tags: bytes
    n_tickets: int
    n_events: int
    clocks: dict[str, bytes]


def render(
    tickets: Iterable[SimTicket], first_id: int, clocks: LiveClocks | None = None
) -> Iterator[_Batch]:
    """COPY text for the staging table, events, tag links and the live SLA rows,
    ``BATCH_TICKETS`` at a time."""
    ts = _Timestamps()
    esc = _escape
    pk = first_id
    t_rows: list[str] = []
    e_rows: list[str] = []
    g_rows: list[str] = []
    c_rows: dict[str, list[str]] = {name: [] for name, _, _ in CLOCK_TABLES}
    n_events = 0
    for tk in tickets:
        sid = str(pk)
        live = clocks.of(tk, pk) if clocks is not None else None
        if live is not None:
            for name, _, columns in CLOCK_TABLES:
                c_rows[name].extend(
                    "\t".join(_copy_value(row[c]) for c in columns) + "\n"
                    for row in getattr(live, name)
                )
        texts = [tk.subject, tk.description]
        for at, type_, role, actor, customer, data, body in tk.events:
            e_rows.append(
                f"{sid}\t{ts(at)}\t{type_}\t{role}\t{_opt(actor)}\t{_opt(customer)}\t"
                f"{esc(data)}\t{esc(body)}\n"
            )
            if role != SYSTEM and type_ in _MESSAGES:
                texts.append(body)
        n_events += len(tk.events)
        t_rows.append(
            "\t".join(
                (
                    sid,
                    esc(tk.subject),
                    esc(tk.description),
                    tk.status,
                    tk.priority,
                    str(PRIORITY_RANK[tk.priority]),
                    tk.channel,
                    str(tk.team_id),
                    _opt(tk.assignee_id),
                    str(tk.requester_id),
                    _opt(tk.category_id),
                    tk.initiated_by,
                    ts(tk.created_at),
                    ts(tk.updated_at),
                    ts(tk.solved_at),
                    str(tk.version),
                    _opt(tk.sla_policy_version_id),
                    _opt(tk.calendar_version_id),
                    _copy_value(live.next_due if live is not None else None),
                    esc("\n".join(texts)),
                )
            )  # fmt: skip
            + "\n"
        )
        g_rows.extend(f"{sid}\t{tag}\n" for tag in tk.tag_ids)
        pk += 1
        if len(t_rows) >= BATCH_TICKETS:
            yield _Batch(*_encode(t_rows, e_rows, g_rows), len(t_rows), n_events, _clocks(c_rows))
            t_rows, e_rows, g_rows, n_events = [], [], [], 0
            c_rows = {name: [] for name in c_rows}
    if t_rows:
        yield _Batch(*_encode(t_rows, e_rows, g_rows), len(t_rows), n_events, _clocks(c_rows))


def _clocks(rows: dict[str, list[str]]) -> dict[str, bytes]:
    return {name: "".join(lines).encode() for name, lines in rows.items() if lines}


def _run_deferred_checks(cur) -> None:
    """TRUNCATE and ALTER TABLE refuse tables with deferred FK checks still queued (rows
    inserted earlier in this transaction): run those checks now, then defer again."""
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cur.execute("SET CONSTRAINTS ALL DEFERRED")


def _lap(spent: dict[str, float], key: str, since: float) -> float:
    now = time.perf_counter()
    spent[key] += now - since
    return now


def _encode(*parts: list[str]) -> tuple[bytes, ...]:
    return tuple("".join(p).encode() for p in parts)


def _in_thread(batches: Iterator[_Batch], depth: int = 4) -> Iterator[_Batch]:
    """Run ``batches`` in a worker thread, ``depth`` batches ahead of the consumer."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        q.put(batch, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(done)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the consumer
            q.put(exc)

    worker = threading.Thread(target=produce, name="seed-demo-render", daemon=True)
    worker.start()
    try:
        while (item := q.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)


class PostgresLoader:
    """Writes through the Django connection's psycopg connection, inside its transaction."""

    def __init__(self, *, log: Callable[[str], None]) -> None:
        self.log = log
        self.tables = (
            Ticket._meta.db_table,
            TicketEvent._meta.db_table,
            Ticket.tags.through._meta.db_table,
        )
        self._dropped_indexes: list[str] = []
        self._dropped_fks: list[tuple[str, str, str]] = []
        self.frozen = False

    def _cursor(self):
        connection.ensure_connection()
        return connection.connection.cursor()

    def reset(self) -> None:
        tables = [*self.tables, Customer._meta.db_table]
        with self._cursor() as cur:
            _run_deferred_checks(cur)
            # CASCADE also empties rows derived from tickets (metrics, escalations, ...).
            cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        self.frozen = True  # COPY FREEZE is allowed into tables truncated in this transaction

    def existing_tickets(self) -> int:
        with self._cursor() as cur:
            cur.execute(
                f"SELECT reltuples::bigint FROM pg_class WHERE oid = '{self.tables[0]}'::regclass"
            )
            return max(cur.fetchone()[0], 0)

    def ensure_customers(
        self, rows: list[tuple[str, str, int | None]], created_at: datetime
    ) -> list[int]:
        """Insert the customers whose email is new; return ids in ``rows`` order."""
        table = Customer._meta.db_table
        with self._cursor() as cur:
            cur.execute(f"SELECT lower(email), id FROM {table}")
            ids = dict(cur.fetchall())
            missing = [r for r in rows if r[1].lower() not in ids]
            if missing:
                # Many new customers: their trigram search indexes (tickets 0024) are built
                # once afterwards, not grown row by row (20 s instead of about 1 s at 200,000).
                rebuild = _drop_secondary_indexes(cur, table) if len(missing) >= 10_000 else []
                stamp = _Timestamps()(int(created_at.timestamp()))
                with cur.copy(
                    f"COPY {table} (name, email, phone, organization_id, created_at) FROM STDIN"
                ) as copy:
                    copy.write(
                        "".join(
                            f"{_escape(name)}\t{_escape(email)}\t\t{_opt(org)}\t{stamp}\n"
                            for name, email, org in missing
                        ).encode()
                    )
                if rebuild:
                    _run_deferred_checks(cur)  # CREATE INDEX refuses queued FK checks
                for definition in rebuild:
                    cur.execute(definition)
                cur.execute(f"SELECT lower(email), id FROM {table}")
                ids = dict(cur.fetchall())
        return [ids[email.lower()] for _, email, _ in rows]

    def load(
        self,
        tickets: Iterable[SimTicket],
        n: int,
        *,
        bulk: bool,
        clocks: LiveClocks | None = None,
    ) -> tuple[int, int]:
        """Load ``n`` simulated tickets (and their live SLA rows); returns (tickets, events)."""
        ticket_table, event_table, tag_table = self.tables
        with self._cursor() as cur:
            cur.execute("SET LOCAL synchronous_commit = off")
            cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cur.execute(
                "SELECT setval(s, nextval(s) + %s - 1) FROM pg_get_serial_sequence(%s, 'id') s",
                [n, ticket_table],
            )
            first_id = cur.fetchone()[0] - n + 1
            if bulk:
                self._drop_indexes_and_fks(cur)
            cols = ", ".join(TICKET_COLUMNS)
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} ON COMMIT DROP AS "
                f"SELECT {cols}, ''::text AS search_text FROM {ticket_table} WITH NO DATA"
            )
            freeze = " WITH (FREEZE)" if self.frozen else ""
            copy_stage = f"COPY {_STAGE} ({cols}, search_text) FROM STDIN"
            copy_events = f"COPY {event_table} ({', '.join(EVENT_COLUMNS)}) FROM STDIN{freeze}"
            copy_tags = f"COPY {tag_table} (ticket_id, tag_id) FROM STDIN{freeze}"
            insert = (
                f"INSERT INTO {ticket_table} ({cols}, search_vector, cc) SELECT {cols}, "
                f"to_tsvector('english'::regconfig, search_text), '[]'::jsonb FROM {_STAGE}"
            )
            copy_clocks = {
                name: f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
                for name, model, columns in CLOCK_TABLES
            }
            done_tickets = done_events = 0
            spent = dict.fromkeys(("waiting for rows", "copy", "insert tickets"), 0.0)
            started = last_report = clock = time.perf_counter()
            for batch in _in_thread(render(tickets, first_id, clocks)):
                clock = _lap(spent, "waiting for rows", clock)
                for sql, data in ((copy_stage, batch.tickets), (copy_events, batch.events)):
                    with cur.copy(sql) as copy:
                        copy.write(data)
                if batch.tags:
                    with cur.copy(copy_tags) as copy:
                        copy.write(batch.tags)
                clock = _lap(spent, "copy", clock)
                cur.execute(insert)
                cur.execute(f"TRUNCATE {_STAGE}")
                for name, data in batch.clocks.items():  # after their tickets (foreign keys)
                    with cur.copy(copy_clocks[name]) as copy:
                        copy.write(data)
                clock = _lap(spent, "insert tickets", clock)
                done_tickets += batch.n_tickets
                done_events += batch.n_events
                now = time.perf_counter()
                if now - last_report >= 15:
                    last_report = now
                    rate = done_tickets / (now - started)
                    self.log(f"  {done_tickets:,} tickets, {done_events:,} events, {rate:,.0f}/s")
            self.log("  load: " + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items()))
            if bulk:
                self._restore_indexes_and_fks(cur)
        return done_tickets, done_events

    def _drop_indexes_and_fks(self, cur) -> None:
        _run_deferred_checks(cur)
        for table in self.tables:
            self._dropped_indexes += _drop_secondary_indexes(cur, table)
            cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            for name, definition in cur.fetchall():
                self._dropped_fks.append((table, name, definition))
                cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')

    def _restore_indexes_and_fks(self, cur) -> None:
        started = time.perf_counter()
        for definition in self._dropped_indexes:
            cur.execute(definition)
        took = time.perf_counter() - started
        self.log(f"  rebuilt {len(self._dropped_indexes)} indexes in {took:.0f} s")
        started = time.perf_counter()
        for table, name, definition in self._dropped_fks:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        took = time.perf_counter() - started
        self.log(f"  checked {len(self._dropped_fks)} foreign keys in {took:.0f} s")

    def analyze(self) -> None:
        # The live SLA rows too: the queue's SLA badges probe them per row, and with no
        # statistics (autovacuum may be off) PostgreSQL expected 859 rows per ticket and
        # ANDed the whole at-risk index into each probe (75 ms a queue page at 1M, not 3).
        clocks = [model._meta.db_table for _, model, _ in CLOCK_TABLES]
        tables = [*self.tables, *clocks, Customer._meta.db_table, Organization._meta.db_table]
        with self._cursor() as cur:
            for table in tables:
                # VACUUM (outside a transaction) also sets the visibility map for index-only scans.
                verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                cur.execute(f"{verb} {table}")
