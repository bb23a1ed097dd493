"""A small hand-worked dataset for the dashboard tests (2026-03-02, reporting zone UTC).

| ticket | team    | created | first agent reply      | solved |
| A      | Tier 1  | 09:00   | 09:30 rita  (30 min)   | 10:00  |
| B      | Tier 1  | 09:00   | 10:30 rita  (90 min)   | —      |
| C      | Billing | 09:00   | 09:10 otto  (10 min)   | —      |

First reply, all teams: median 30, p90 = 30 + 0.8 × (90 − 30) = 78, mean 130/3.
Tier 1: median 60 (30 and 90), p90 = 30 + 0.9 × 60 = 84, mean 60.
"""

from __future__ import annotations

from tests.factories import make_ticket
from tests.kpis.engine_helpers import at, catch_up
from tickets import services


def build(team, other_team, rep, rep_other_team) -> dict:
    a = at("2026-03-02T09:00:00+00:00", lambda: make_ticket(team, subject="A printer"))
    b = at("2026-03-02T09:00:00+00:00", lambda: make_ticket(team, subject="B refund"))
    c = at("2026-03-02T09:00:00+00:00", lambda: make_ticket(other_team, subject="C invoice"))
    at("2026-03-02T09:10:00+00:00", lambda: services.reply(c.pk, by=rep_other_team, body="Hi"))
    at("2026-03-02T09:30:00+00:00", lambda: services.reply(a.pk, by=rep, body="On it"))
    at(
        "2026-03-02T10:00:00+00:00",
        lambda: services.update_ticket(a.pk, by=rep, expected_version=None, status="solved"),
    )
    at("2026-03-02T10:30:00+00:00", lambda: services.reply(b.pk, by=rep, body="Looking"))
    at("2026-03-02T12:00:00+00:00", catch_up)
    return {"a": a, "b": b, "c": c}
