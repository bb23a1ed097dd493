"""Ticket history in words, for the workspace: one line per event, names resolved in bulk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from csops.people import display_name
from staffing.models import Team
from tickets.models import TicketEvent
from tickets.models.events import EventType

_STATUS = {"on_hold": "on hold"}


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    what: str
    type: str


def _status(value: str | None) -> str:
    return _STATUS.get(value or "", value or "none")


def describe(
    events: list[TicketEvent], *, team_names: Mapping[int, str] | None = None
) -> list[HistoryLine]:
    """``team_names``: every team's name by id, if the caller has read the teams."""
    user_ids = {e.data.get("assignee") for e in events if e.type == EventType.ASSIGNED}
    team_ids = {e.data.get("team") for e in events if e.data.get("team")}
    users: dict[int | None, str] = {
        u.pk: display_name(u) for u in User.objects.filter(pk__in={i for i in user_ids if i})
    }
    teams: Mapping[Any, str] = (  # looked up by the ids the log holds
        team_names
        if team_names is not None
        else dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    )
    lines = []
    for e in events:
        d = e.data or {}
        if e.type == EventType.CREATED:
            what = f"Created via {d.get('channel', '?')} for {teams.get(d.get('team'), '?')}"
            if d.get("initiated_by") == "agent":
                what += " (outbound)"
        elif e.type == EventType.STATUS_CHANGED:
            what = f"Status {_status(d.get('from'))} → {_status(d.get('to'))}"
        elif e.type == EventType.ASSIGNED:
            who = users.get(d.get("assignee"), "nobody") if d.get("assignee") else "nobody"
            what = f"Assigned to {who}"
            if d.get("team"):
                what += f" in {teams.get(d['team'], '?')}"
        elif e.type == EventType.PRIORITY_CHANGED:
            what = f"Priority {d.get('from') or 'none'} → {d.get('to') or 'none'}"
        elif e.type == EventType.TAGS_CHANGED:
            parts = [f"+{t}" for t in d.get("added", [])] + [f"−{t}" for t in d.get("removed", [])]
            what = "Tags " + " ".join(parts)
        elif e.type == EventType.ESCALATED:
            what = f"Escalated to tier {d.get('tier')}: {d.get('reason', '')}".rstrip(": ")
        elif e.type == EventType.PUBLIC_REPLY:
            what = {"agent": "Public reply", "customer": "Customer reply"}.get(
                e.actor_role, "Automatic reply"
            )
        elif e.type == EventType.INTERNAL_NOTE:
            what = "Internal note"
        elif e.type == EventType.MERGED_INTO:
            what = f"Merged into #{d.get('into')}"
        elif e.type == EventType.MERGED_FROM:
            what = "Merged in " + ", ".join(f"#{pk}" for pk in d.get("tickets", []))
        elif e.type in (EventType.LINKED, EventType.UNLINKED):
            verb = "Linked" if e.type == EventType.LINKED else "Unlinked"
            what = f"{verb}: {str(d.get('label', '')).lower()} #{d.get('other')}"
        else:
            what = e.get_type_display()
        lines.append(HistoryLine(at=e.at, who=_actor(e), what=what, type=e.type))
    return lines


def _actor(e: TicketEvent) -> str:
    if e.actor is not None:
        return display_name(e.actor)
    if e.customer is not None:
        return e.customer.name
    return "System"
