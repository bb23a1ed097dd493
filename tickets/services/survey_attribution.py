"""Where a CSAT rating counts (KPI_SPEC.md §6, §9.14, §9.17, §9.25): pure, no ORM.

A rating's agent, team and priority are those in force at the last solve at or before its
submission instant (solve = ``status_changed`` to solved, or to closed from an unresolved
status, §2); with no such solve it is *unattributed*. "In force at" the solve instant is the
state after all events with ``at`` <= that instant (§2, §9.14: a transfer logged in the same
instant as the solve credits the new team). Its day is its submission day (not decided here).

The log is append-only with non-decreasing ``at`` (§9.2), so events logged after the rating
can only be later than its solve: the result never changes once the rating is stored, and
``tickets.services.surveys.submit_response`` computes it once. Decision: an event logged after
the rating but in the same second is not seen at submission (the rating was recorded first);
the backfill migration, which sees it, may differ for such ratings only.

Values follow the KPI rows (``kpis.refresh._ids``): agent and team ids or None (None =
"unassigned", §9.25), priority a name or ``NO_PRIORITY`` ("none"). Unattributed ratings have
agent and team None and priority "" (as an attribution-less KPI row).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from policies.replay import replay
from policies.ticket_log import ASSIGNED, CREATED, PRIORITY_CHANGED, STATUS_CHANGED, LogEvent

# The same value as ``kpis.metrics.NO_PRIORITY`` (tickets does not import kpis).
NO_PRIORITY = "none"
# The event types that change the replayed state (status, assignee, team, priority); the
# others cannot move an attribution, so readers may load only these.
STATE_TYPES = (CREATED, STATUS_CHANGED, ASSIGNED, PRIORITY_CHANGED)


@dataclass(frozen=True, slots=True)
class RatingAttribution:
    attributed: bool
    agent_id: int | None
    team_id: int | None
    priority: str
    solve_seq: int | None = None  # the solve it belongs to (for tests and debugging)


UNATTRIBUTED = RatingAttribution(False, None, None, "")


def log_events(rows: Iterable[tuple[int, datetime, str, Mapping[str, Any]]]) -> list[LogEvent]:
    """``LogEvent`` from ``(seq, at, type, data)`` rows (actors play no part here)."""
    return [LogEvent(seq=seq, at=at, type=type_, data=data) for seq, at, type_, data in rows]


def attribute_rating(events: Iterable[LogEvent], submitted_at: datetime) -> RatingAttribution:
    """The agent, team and priority at the ticket's last solve at or before ``submitted_at``."""
    rep = replay(events, submitted_at)
    if not rep.solves:
        return UNATTRIBUTED
    solve = rep.solves[-1]
    state = rep.state_at(solve.at)
    assert state is not None  # a solve comes after created
    return RatingAttribution(
        attributed=True,
        agent_id=state.assignee,
        team_id=state.team,
        priority=state.priority or NO_PRIORITY,
        solve_seq=solve.event.seq,
    )
