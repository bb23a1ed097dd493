"""Choose who gets a ticket: pure (plain data in, a ranked list and a reason out).

The service feeds it the team's members with their availability, shift, load, capacity and
valid skills; it returns the people to try, best first, or why nobody can take the ticket.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MANUAL, ROUND_ROBIN, LEAST_LOADED, SKILLS = "manual", "round_robin", "least_loaded", "skills"
# Load of one open ticket, by priority (capacity is counted in these units).
PRIORITY_WEIGHT = {"low": 1, "normal": 1, "high": 2, "urgent": 3}
# The statuses that count as a person's load: work in hand, not waiting on the customer.
LOAD_STATUSES = ("new", "open")


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    status: str  # available / away / offline
    on_shift: bool
    load: int
    capacity: int
    skills: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Choice:
    ranked: list[Candidate]  # empty when nobody can take it
    reason: str  # why the first is chosen, or why the ticket waits


def _join(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def rank(
    mode: str,
    candidates: Iterable[Candidate],
    *,
    weight: int,
    required: Mapping[int, str],
    last_assignee: int | None,
) -> Choice:
    """``required``: skill id -> name (only used in skills mode). Each filter that empties
    the field names itself as the reason the ticket waits."""
    people = sorted(candidates, key=lambda c: c.user_id)
    if not people:
        return Choice([], "the team has no members")
    people = [c for c in people if c.status == "available"]
    if not people:
        return Choice([], "no one in the team is available")
    people = [c for c in people if c.on_shift]
    if not people:
        return Choice([], "no one available is on shift")
    wanted = set(required) if mode == SKILLS else set()
    if wanted:
        qualified = [c for c in people if wanted <= c.skills]
        if not qualified:
            missing = [
                required[s] for s in sorted(wanted) if not any(s in c.skills for c in people)
            ]
            if missing:
                return Choice([], f"no one with skill {_join(missing)} is available on shift")
            return Choice([], f"no one available holds all of {_join(required.values())}")
        people = qualified
    people = [c for c in people if c.load + weight <= c.capacity]
    if not people:
        return Choice([], "everyone who could take it is at capacity")
    if mode == ROUND_ROBIN:
        after = [c for c in people if last_assignee is not None and c.user_id > last_assignee]
        ranked = after + [c for c in people if c not in after]
        return Choice(ranked, "round-robin")
    ranked = sorted(people, key=lambda c: (c.load / c.capacity, c.load, c.user_id))
    top = ranked[0]
    why = f"least loaded ({top.load}/{top.capacity})"
    if wanted:
        why = f"holds {_join(required[s] for s in sorted(wanted))}; {why}"
    return Choice(ranked, why)
