"""Ticket actions logged exactly as ``tickets.services`` would log them (no ORM).

``SimTicket`` mirrors the service functions action by action: one ``at`` per action (whole
seconds, never before the ticket's latest event), the §9.1 order inside an action, an
agent's first action on a new ticket logging ``new -> open`` first, a customer reply on
pending/on_hold/solved reopening it through a system ``status_changed``, and nothing after
``closed``. Each action bumps ``version``. Actions that would fall after ``until`` are
dropped, so recent tickets stay unresolved. ``storylines.Simulator`` decides which actions
happen when.

Events are tuples ``(at, type, actor_role, actor_id, customer_id, data_json, body)`` with
``at`` in epoch seconds; the loaders turn them into rows.
"""

from __future__ import annotations

import json

from tickets.seeding import text

MINUTE, HOUR, DAY = 60, 3600, 86400
NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED = (
    "new",
    "open",
    "pending",
    "on_hold",
    "solved",
    "closed",
)
RESOLVED = (SOLVED, CLOSED)
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
AGENT, CUSTOMER, SYSTEM = "agent", "customer", "system"
CREATED, STATUS_CHANGED, PUBLIC_REPLY = "created", "status_changed", "public_reply"
INTERNAL_NOTE, ASSIGNED, ESCALATED, PRIORITY_CHANGED = (
    "internal_note",
    "assigned",
    "escalated",
    "priority_changed",
)
EMPTY = "{}"
_STATUSES = (NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED)
_FROM_TO = {
    (a, b): json.dumps({"from": a, "to": b})
    for values in (_STATUSES, PRIORITIES)
    for a in values
    for b in values
}
KEEP = object()  # update(): leave the assignee as is


class SimTicket:
    __slots__ = (
        "subject", "description", "status", "priority", "channel", "team_id", "assignee_id",
        "requester_id", "category_id", "initiated_by", "created_at", "solved_at", "version",
        "tag_ids", "events", "t", "until", "stopped", "sla_policy_version_id",
        "calendar_version_id",
    )  # fmt: skip

    def __init__(self, until: int) -> None:
        self.until = until
        self.events: list[tuple] = []
        self.version = 0
        self.t = 0
        self.stopped = False
        self.status = NEW
        self.solved_at: int | None = None
        self.assignee_id: int | None = None
        self.sla_policy_version_id: int | None = None
        self.calendar_version_id: int | None = None

    @property
    def updated_at(self) -> int:
        return self.t

    def _begin(self, at: int) -> int | None:
        """The instant of a new action, or None once the storyline has passed ``until``."""
        if self.stopped:
            return None
        at = max(at, self.t)
        if at > self.until:
            self.stopped = True
            return None
        return at

    def _commit(self, at: int, log: list[tuple]) -> None:
        """Like the services' ``_save``: an action that logs nothing changes nothing."""
        if log:
            self.events += log
            self.t = at
            self.version += 1

    def _open_if_new(self, at: int, by: int) -> list[tuple]:
        if self.status != NEW:
            return []
        self.status = OPEN
        return [(at, STATUS_CHANGED, AGENT, by, None, _FROM_TO[NEW, OPEN], "")]

    def _transition(self, at: int, by: int | None, to: str) -> list[tuple]:
        frm = self.status
        if to == frm:
            return []
        if frm == CLOSED or to == NEW:
            raise ValueError(f"invalid transition {frm} -> {to}")
        self.status = to
        if to in RESOLVED and frm not in RESOLVED:
            self.solved_at = at
        elif to not in RESOLVED:
            self.solved_at = None
        role = AGENT if by is not None else SYSTEM
        return [(at, STATUS_CHANGED, role, by, None, _FROM_TO[frm, to], "")]

    # --- one method per service use case ------------------------------------------------

    def create(self, at: int, by: int | None, assignee_id: int | None) -> None:
        """``services.create_ticket``: by an agent (phone, outbound) or a customer channel."""
        at = self._begin(at)
        self.assignee_id = assignee_id
        data = json.dumps(
            {
                "channel": self.channel,
                "priority": self.priority,
                "team": self.team_id,
                "assignee": assignee_id,
                "initiated_by": self.initiated_by,
                "subject": self.subject,
            }
        )
        role = AGENT if by is not None else CUSTOMER
        customer = self.requester_id if by is None else None
        log = [(at, CREATED, role, by, customer, data, self.description)]
        if by is not None and assignee_id is not None:
            log += self._open_if_new(at, by)
        self._commit(at, log)

    def auto_acknowledge(self, at: int) -> None:
        """A system auto-reply (neither an agent nor a customer reply, §2)."""
        at = self._begin(at)
        if at is not None:
            self._commit(at, [(at, PUBLIC_REPLY, SYSTEM, None, None, EMPTY, text.ACK)])

    def claim(self, at: int, by: int) -> None:
        at = self._begin(at)
        if at is None:
            return
        log = self._open_if_new(at, by)
        self.assignee_id = by
        log.append((at, ASSIGNED, AGENT, by, None, f'{{"assignee": {by}}}', ""))
        self._commit(at, log)

    def reply(self, at: int, by: int, body: str, *, public: bool = True, new_status=None) -> None:
        at = self._begin(at)
        if at is None:
            return
        log = self._open_if_new(at, by)
        log.append((at, PUBLIC_REPLY if public else INTERNAL_NOTE, AGENT, by, None, EMPTY, body))
        if new_status:
            log += self._transition(at, by, new_status)
        self._commit(at, log)

    def customer_reply(self, at: int, body: str) -> None:
        at = self._begin(at)
        if at is None:
            return
        log = [(at, PUBLIC_REPLY, CUSTOMER, None, self.requester_id, EMPTY, body)]
        if self.status in (PENDING, ON_HOLD, SOLVED):
            log.append((at, STATUS_CHANGED, SYSTEM, None, None, _FROM_TO[self.status, OPEN], ""))
            self.status, self.solved_at = OPEN, None
        self._commit(at, log)

    def update(self, at: int, by: int, *, status=None, priority=None, team_id=None, assignee=KEEP):
        """``services.update_ticket``: assignment, then priority, then the status change."""
        at = self._begin(at)
        if at is None:
            return
        log = self._reassign(at, by, team_id, assignee)
        if priority and priority != self.priority:
            log.append(self._priority_event(at, by, priority))
        if status and status != self.status:
            opening = self._open_if_new(at, by) if status != OPEN else []
            log = opening + log + self._transition(at, by, status)
        elif log:
            log = self._open_if_new(at, by) + log
        self._commit(at, log)

    def escalate(self, at: int, by: int, team_id: int, reason: str, priority=None, flip=False):
        """Escalation to tier 2: ``escalated`` and the move to the tier-2 queue (their order
        within the action must not matter, §9.1, so ``flip`` exercises both)."""
        at = self._begin(at)
        if at is None:
            return
        escalated = (at, ESCALATED, AGENT, by, None, json.dumps({"tier": 2, "reason": reason}), "")
        log = self._reassign(at, by, team_id, None)
        log = [*log, escalated] if flip else [escalated, *log]
        if priority and priority != self.priority:
            log.append(self._priority_event(at, by, priority))
        self._commit(at, self._open_if_new(at, by) + log)

    def close(self, at: int) -> None:
        """The system closes a solved ticket; closed is final (§2)."""
        at = self._begin(at)
        if at is not None:
            self._commit(at, self._transition(at, None, CLOSED))

    def _reassign(self, at: int, by: int, team_id, assignee) -> list[tuple]:
        new_team = team_id if team_id is not None else self.team_id
        new_assignee = self.assignee_id if assignee is KEEP else assignee
        if new_team == self.team_id and new_assignee == self.assignee_id:
            return []
        data = {"assignee": new_assignee}
        if new_team != self.team_id:
            data["team"] = new_team
        self.team_id, self.assignee_id = new_team, new_assignee
        return [(at, ASSIGNED, AGENT, by, None, json.dumps(data), "")]

    def _priority_event(self, at: int, by: int, priority: str) -> tuple:
        event = (at, PRIORITY_CHANGED, AGENT, by, None, _FROM_TO[self.priority, priority], "")
        self.priority = priority
        return event
