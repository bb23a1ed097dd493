"""The queue's optional columns. The ticket number and subject always show; a saved view (or
the queue's column boxes) picks the others, always in this order."""

from __future__ import annotations

from collections.abc import Iterable

COLUMNS = [
    ("requester", "Requester"),
    ("status", "Status"),
    ("priority", "Priority"),
    ("team", "Team"),
    ("assignee", "Assignee"),
    ("channel", "Channel"),
    ("sla", "Next SLA due"),
    ("updated", "Updated"),
]
KEYS = [key for key, _ in COLUMNS]
MAX_GIVEN = 50  # more values than that is not a list of columns


def unknown(values: Iterable[str]) -> list[str]:
    return [v for v in values if v not in KEYS]


def chosen(values: list[str] | tuple[str, ...]) -> list[str]:
    """The columns to show, in the queue's order: every one when none is given. Unknown
    names (an old or hand-typed link) are left out."""
    if not isinstance(values, list | tuple):  # a malformed stored value: the default
        values = []
    wanted = {v for v in values[:MAX_GIVEN] if isinstance(v, str)}
    return [key for key in KEYS if key in wanted] or list(KEYS)
