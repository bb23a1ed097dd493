"""What every dashboard metric means, in one place (wording from KPI_SPEC.md §4–§6, §9).

The tiles show ``text`` on hover; goals use ``direction`` (is lower better?) and ``unit``.
Keys are the dashboard's metric names: the same in the UI, CSV exports, goals and the API.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    label: str
    unit: str  # "count" | "minutes" | "percent" | "score" | "days"
    lower_is_better: bool
    text: str
    goal: bool = True  # may a director set a target on it?


_FR = (
    "First reply time: inbound, from creation to the first agent reply; outbound, from the "
    "customer's first reply to the next agent reply. System replies and internal notes never "
    "count. Attributed to the day and author of that reply."
)
_RES = (
    "Full resolution time: from creation to the last solve (time spent solved before a reopen "
    "is included). Counted for tickets resolved in the range, on their last-solve day."
)
_STATS = (
    " Median and p90 are PostgreSQL percentile_cont over the per-ticket values of the "
    "whole range (never averaged across days); nulls are excluded."
)

METRICS: dict[str, Definition] = {
    "created": Definition(
        "Tickets created",
        "count",
        False,
        "Tickets created in the range, on their creation day (reporting time zone).",
    ),
    "resolved": Definition(
        "Tickets resolved",
        "count",
        False,
        "Resolved tickets, each counted once on its last-solve day. A reopen and re-solve "
        "moves it to the new day.",
    ),
    "backlog": Definition(
        "Backlog",
        "count",
        True,
        "Tickets created before the instant whose status then is unresolved (new, open, "
        "pending, on hold). Age = instant − creation, calendar time; a reopened ticket keeps "
        "its original creation.",
    ),
    "actionable_backlog": Definition(
        "Actionable backlog",
        "count",
        True,
        "Backlog tickets whose status is new or open (waiting on us, not on the customer or a "
        "third party).",
    ),
    "backlog_age_median": Definition(
        "Backlog age (median)",
        "days",
        True,
        "Median calendar age of the unresolved tickets at the instant." + _STATS,
    ),
    "first_reply_median": Definition("First reply (median)", "minutes", True, _FR + _STATS),
    "first_reply_p90": Definition("First reply (p90)", "minutes", True, _FR + _STATS),
    "first_reply_mean": Definition("First reply (mean)", "minutes", True, _FR),
    "full_resolution_median": Definition(
        "Full resolution (median)", "minutes", True, _RES + _STATS
    ),
    "full_resolution_p90": Definition("Full resolution (p90)", "minutes", True, _RES + _STATS),
    "full_resolution_mean": Definition("Full resolution (mean)", "minutes", True, _RES),
    "sla_attainment": Definition(
        "SLA attainment",
        "percent",
        False,
        "100 × achieved ÷ (achieved + breached) over every targeted SLA instance, by outcome "
        "instant (achieved: its end; breached: its due time). Cancelled and in-progress "
        "instances are excluded. Shown beside it: the live count of breached instances that "
        "are still open (active or paused).",
    ),
    "csat": Definition(
        "CSAT",
        "percent",
        False,
        "100 × positive ÷ rated. One rating per ticket, the latest wins, on its submission day. "
        "Positive: 4–5 on the 1–5 scale, or good. Unanswered surveys are excluded. Its agent "
        "and team are those at the last solve at or before the rating; a rating with no solve "
        "before it is unattributed and counts only in the all-teams view.",
    ),
    "nps": Definition(
        "NPS",
        "score",
        False,
        "100 × (promoters − detractors) ÷ responses: promoters answer 9–10, passives 7–8, "
        "detractors 0–6; range −100 to 100. Attributed to the submission day only (no agent, "
        "team or priority).",
    ),
    "fcr": Definition(
        "FCR",
        "percent",
        False,
        "First contact resolution: 100 × resolved inbound tickets with no reopen, no customer "
        "follow-up and no escalation ÷ resolved inbound tickets. An agent reply is not "
        "required (a call solved on the line counts).",
    ),
    "one_touch": Definition(
        "One-touch",
        "percent",
        False,
        "100 × resolved tickets with exactly one agent reply ÷ all resolved tickets (in- and "
        "outbound). Zero-touch tickets are not one-touch.",
    ),
    "reopen_rate": Definition(
        "Reopen rate",
        "percent",
        True,
        "100 × resolved tickets reopened at least once ÷ resolved tickets.",
    ),
}

TILE_ORDER = [
    "created",
    "resolved",
    "backlog",
    "actionable_backlog",
    "first_reply_median",
    "full_resolution_median",
    "sla_attainment",
    "csat",
    "nps",
    "fcr",
    "one_touch",
    "reopen_rate",
]

GOAL_METRICS = [(key, d.label) for key, d in METRICS.items() if d.goal]


def definition(key: str) -> Definition:
    return METRICS[key]
