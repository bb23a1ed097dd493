"""The SLA monitor (Celery beat, every minute): finds by index the stored instances whose
at-risk or due time has passed (``tickets.services.sla`` keeps the projections), records one
alert per crossing, notifies and fires the escalation rules.

Rules decided here where KPI_SPEC is silent:

- One alert per (ticket, metric, instance, kind), enforced by a unique key and
  INSERT ... ON CONFLICT DO NOTHING RETURNING: two workers running at once, or a retry, insert
  it once; only the inserting transaction notifies and fires rules.
- An at-risk alert is raised only while the instance is not yet due (a ticket first seen
  already breached gets the breach alert only).
- A breach alert also writes the breach record (§9.20), whose instant is the stored
  ``due_at``: no event happened since the projection, else the row would have been
  re-evaluated.
- A row older than the ticket's latest change (a writer that did not re-evaluate) is
  re-evaluated before it can raise an alert, so a reply logged elsewhere is never reported
  as a breach.
- Recipients: the assignee and the managers of the ticket's team (in-app + email).
- Each new alert, its notices and its escalation rules commit together, so a failed rule
  rolls the alert back and the next run retries it; a committed alert is never repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from csops.notify import notify
from policies.models import SlaMetric
from tickets.chat import services as chat
from tickets.models import SlaAlert, SlaAlertKind, Ticket, TicketSlaBreach, TicketSlaInstance
from tickets.services import sla
from tickets.services.escalations import apply_rules
from tickets.webhooks import services as webhooks

MONITOR_BATCH = 500  # crossings per kind per run; the rest wait a minute


# --- monitor --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitorRun:
    at_risk: int  # new at-risk alerts recorded by this run
    breaches: int  # new breach alerts recorded by this run


def _insert_returning(model, values: dict, conflict: list[str]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: True iff this call inserted the row
    (PostgreSQL, and SQLite >= 3.35)."""
    q = connection.ops.quote_name
    columns = list(values)
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(map(q, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(map(q, conflict))}) DO NOTHING RETURNING {q('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(values.values()))
        return cursor.fetchone() is not None


def _unalerted(kind: str):
    alerts = SlaAlert.objects.filter(
        ticket_id=OuterRef("ticket_id"),
        metric=OuterRef("metric"),
        index=OuterRef("index"),
        kind=kind,
    )
    return ~Exists(alerts)


def _notify(row: TicketSlaInstance, kind: str, at: datetime) -> None:
    ticket = row.ticket
    users = [ticket.assignee, *ticket.team.managers.all()]
    label = SlaMetric(row.metric).label
    local = timezone.localtime(at).strftime("%Y-%m-%d %H:%M %Z")
    what = "breached" if kind == SlaAlertKind.BREACH else "is at risk"
    notify(
        {u.pk: u for u in users if u is not None}.values(),
        key=f"sla:{kind}:{ticket.pk}:{row.metric}:{row.index}",
        text=f"SLA {what}: #{ticket.pk} {ticket.subject} — {label} due {local}",
        url=reverse("tickets:ticket-detail", kwargs={"pk": ticket.pk}),
    )


def _crossed(row: TicketSlaInstance, kind: str, now: datetime) -> bool:
    if row.ended_at is not None or row.due_at is None:
        return False
    if kind == SlaAlertKind.BREACH:
        return row.due_at <= now
    return row.at_risk_at is not None and row.at_risk_at <= now < row.due_at


def _current(row: TicketSlaInstance, kind: str, now: datetime) -> TicketSlaInstance | None:
    """The row as the ticket's latest action leaves it, if it still crossed. A writer that
    logged events without re-evaluating (the ticket changed after ``evaluated_at``) gets the
    ticket re-evaluated first, under the ticket's row lock like every ticket service."""
    if row.ticket.updated_at <= row.evaluated_at:
        return row
    ticket = Ticket.objects.select_for_update().get(pk=row.ticket_id)
    sla.refresh(ticket, ticket.updated_at)
    fresh = (
        TicketSlaInstance.objects.select_related("ticket__team", "ticket__assignee")
        .filter(ticket_id=row.ticket_id, metric=row.metric, index=row.index)
        .first()
    )
    return fresh if fresh is not None and _crossed(fresh, kind, now) else None


def _record(row: TicketSlaInstance, kind: str, now: datetime) -> bool:
    with transaction.atomic():
        current = _current(row, kind, now)
        if current is None:
            return False  # the clock moved on (a reply, a pause) since it was stored
        row = current
        at = row.due_at if kind == SlaAlertKind.BREACH else row.at_risk_at
        assert at is not None
        if kind == SlaAlertKind.BREACH:
            breach = {
                "ticket_id": row.ticket_id,
                "metric": row.metric,
                "index": row.index,
                "breached_at": at,
            }
            _insert_returning(TicketSlaBreach, breach, ["ticket_id", "metric", "index"])
        alert = {
            "ticket_id": row.ticket_id,
            "metric": row.metric,
            "index": row.index,
            "kind": kind,
            "at": at,
            "recorded_at": now,
        }
        if not _insert_returning(SlaAlert, alert, ["ticket_id", "metric", "index", "kind"]):
            return False  # another worker or an earlier try recorded it
        _notify(row, kind, at)
        webhooks.record_sla_alert(
            row.ticket_id, metric=row.metric, index=row.index, kind=kind, at=at
        )
        if kind == SlaAlertKind.BREACH:
            chat.record_sla_breach(row.ticket, metric=row.metric, index=row.index, at=at)
        trigger = "sla_breach" if kind == SlaAlertKind.BREACH else "sla_at_risk"
        fired = apply_rules(row.ticket_id, trigger, metric=row.metric, index=row.index, at=at)
        if fired:  # a rule changed the ticket (priority, team): its clocks follow
            ticket = Ticket.objects.get(pk=row.ticket_id)
            sla.refresh(ticket, ticket.updated_at)
    return True


def run_monitor(now: datetime | None = None, *, batch: int = MONITOR_BATCH) -> MonitorRun:
    """Record every crossing of at-risk or due time since the last run, found by index."""
    now = now or timezone.now()
    open_ = TicketSlaInstance.objects.filter(ended_at__isnull=True).select_related(
        "ticket__team", "ticket__assignee"
    )
    breaches = open_.filter(due_at__lte=now).filter(_unalerted(SlaAlertKind.BREACH))
    at_risk = open_.filter(at_risk_at__lte=now, due_at__gt=now).filter(
        _unalerted(SlaAlertKind.AT_RISK)
    )
    counts = {}
    for kind, qs, order in (
        (SlaAlertKind.BREACH, breaches, "due_at"),
        (SlaAlertKind.AT_RISK, at_risk, "at_risk_at"),
    ):
        counts[kind] = sum(_record(row, kind, now) for row in qs.order_by(order, "pk")[:batch])
    return MonitorRun(at_risk=counts[SlaAlertKind.AT_RISK], breaches=counts[SlaAlertKind.BREACH])
