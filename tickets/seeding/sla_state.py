"""The stored SLA state of the seeded unresolved tickets, as the services would have left it.

Bulk-loaded tickets bypass ``tickets.services.sla.refresh``, so their live clocks (the queue's
"Next SLA due", the "at risk" and "breached" filters, the monitor's index) would be empty.
For each unresolved seeded ticket with a policy, ``LiveClocks.of`` computes what ``refresh``
stores after the ticket's latest action (its instances, breach records and
``next_sla_due_at``) with the same pure engine, from the simulated log, so the loaders write
them with the ticket (in the render thread on PostgreSQL, beside the COPY). Crossings already
past when the seed runs are recorded as alerts the monitor has seen (with their breach
records), so the monitor notifies only crossings that happen from now on instead of flooding
the demo's managers with months of history. Resolved tickets need no stored instance: their
clocks are over and the KPI rebuild counts them from the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from policies.business_time import CALENDAR_HOURS
from policies.models import CalendarVersion, SlaPolicyVersion
from policies.selectors import engine_policy
from policies.sla import evaluate, next_due
from policies.ticket_log import RESOLVED, LogEvent
from tickets.models import SlaAlertKind
from tickets.seeding.simulate import AGENT, SimTicket


def _dt(t: int) -> datetime:
    return datetime.fromtimestamp(t, UTC)


@dataclass
class Clocks:
    """Column values (dicts keyed by field name) of one ticket's stored SLA rows."""

    instances: list[dict] = field(default_factory=list)
    breaches: list[dict] = field(default_factory=list)
    alerts: list[dict] = field(default_factory=list)
    next_due: datetime | None = None


class LiveClocks:
    """Reads every policy and calendar version once (in the calling thread); ``of`` is pure."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.policies = {
            v.pk: engine_policy(v) for v in SlaPolicyVersion.objects.prefetch_related("targets")
        }
        self.schedules = {c.pk: c.schedule() for c in CalendarVersion.objects.all()}

    def of(self, tk: SimTicket, ticket_id: int) -> Clocks | None:
        """The stored rows of ``tk`` (saved as ``ticket_id``); None when it stores none."""
        if tk.status in RESOLVED or tk.sla_policy_version_id is None:
            return None
        log = [
            LogEvent(
                seq, _dt(at), type_, role, actor if role == AGENT else customer, json.loads(data)
            )
            for seq, (at, type_, role, actor, customer, data, _) in enumerate(tk.events, 1)
        ]
        schedule = self.schedules.get(tk.calendar_version_id, CALENDAR_HOURS)
        as_of = _dt(tk.t)
        instances = evaluate(log, self.policies[tk.sla_policy_version_id], schedule, as_of)
        clocks = Clocks(next_due=next_due(instances))
        now = self.now
        for inst in instances:
            key = {"ticket_id": ticket_id, "metric": inst.metric, "index": inst.index}
            clocks.instances.append(
                {
                    **key,
                    "activated_at": inst.activated_at,
                    "ended_at": inst.ended_at,
                    "end_reason": inst.end_reason or "",
                    "target_minutes": inst.target_minutes,
                    "business": inst.business,
                    "elapsed_seconds": inst.elapsed_seconds,
                    "due_at": inst.due_at,
                    "breached_at": inst.breached_at,
                    "at_risk_at": inst.at_risk_at,
                    "outcome": inst.outcome,
                    "state": inst.state,
                    "trail": [
                        {"at": e.at.isoformat(), "action": e.action, "reason": e.reason}
                        for e in inst.trail
                    ],
                    "calendar_version_id": tk.calendar_version_id,
                    "evaluated_at": as_of,
                }
            )
            breached, kind, crossed = inst.breached_at, None, None
            if inst.ended_at is None and inst.due_at is not None and inst.due_at <= now:
                breached = breached or inst.due_at
                kind, crossed = SlaAlertKind.BREACH, inst.due_at
            elif inst.ended_at is None and inst.at_risk_at is not None and inst.at_risk_at <= now:
                kind, crossed = SlaAlertKind.AT_RISK, inst.at_risk_at
            if breached is not None:
                clocks.breaches.append({**key, "breached_at": breached})
            if kind is not None:
                clocks.alerts.append({**key, "kind": str(kind), "at": crossed, "recorded_at": now})
        return clocks
