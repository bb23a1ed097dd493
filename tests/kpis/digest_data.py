"""A hand-worked week for the digest tests (reporting zone UTC; first reply target 60 min).

Week of Monday 2025-03-03 (the digest's period) and the week before:

| ticket | team    | created          | first agent reply | first reply SLA            |
| t0     | Tier 1  | 02-25 09:00      | 09:20             | achieved (previous week)   |
| t1     | Tier 1  | 03-03 09:00      | 09:30             | achieved                   |
| t2     | Tier 1  | 03-03 09:00      | 10:30             | breached, 30 min late      |
| t3     | Tier 1  | 03-04 09:00      | never             | breached at 03-04 10:00,   |
|        |         |                  |                   | late until NOW (still open)|
| t4     | Billing | 03-05 09:00      | 12:00             | breached, 120 min late     |

NOW is Monday 2025-03-10 08:00 UTC: the last complete week is 03-03 – 03-09.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.factories import make_ticket
from tests.kpis.engine_helpers import at, catch_up
from tests.policies.sla_builders import make_policy
from tickets.services import tickets as services

NOW = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
START, END = date(2025, 3, 3), date(2025, 3, 9)


def build(team, other_team, rep, rep_other_team, director) -> dict:
    at("2025-02-01T00:00:00+00:00", lambda: make_policy(director))
    t0 = at("2025-02-25T09:00:00+00:00", lambda: make_ticket(team, subject="Old question"))
    at("2025-02-25T09:20:00+00:00", lambda: services.reply(t0.pk, by=rep, body="Hi"))
    t1, t2 = (
        at("2025-03-03T09:00:00+00:00", lambda s=s: make_ticket(team, subject=s))
        for s in ("Printer jam", "Refund please")
    )
    t3 = at("2025-03-04T09:00:00+00:00", lambda: make_ticket(team, subject="Nobody answers"))
    t4 = at("2025-03-05T09:00:00+00:00", lambda: make_ticket(other_team, subject="Invoice <b>"))
    at("2025-03-03T09:30:00+00:00", lambda: services.reply(t1.pk, by=rep, body="On it"))
    at("2025-03-03T10:30:00+00:00", lambda: services.reply(t2.pk, by=rep, body="Sorry"))
    at("2025-03-05T12:00:00+00:00", lambda: services.reply(t4.pk, by=rep_other_team, body="Hi"))
    at("2025-03-05T12:30:00+00:00", catch_up)
    return {"t0": t0, "t1": t1, "t2": t2, "t3": t3, "t4": t4}
