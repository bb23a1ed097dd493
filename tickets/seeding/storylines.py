"""Storylines: which service actions happen to each demo ticket, and when (no ORM).

``Simulator.ticket`` draws a ticket (category, channel, team, priority, requester, text) and
plays its life through ``simulate.SimTicket``: triage, claims, replies and waits, notes,
escalations, holds, solves, reopens and the automatic close. Agents work Mon-Fri 08-20 UTC.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from tickets.seeding import text
from tickets.seeding.catalog import CATEGORIES, EXTRA_TAGS, TEAMS
from tickets.seeding.reference import Reference
from tickets.seeding.simulate import (
    DAY,
    HOUR,
    MINUTE,
    ON_HOLD,
    PENDING,
    PRIORITIES,
    PRIORITY_RANK,
    SOLVED,
    SimTicket,
)
from tickets.seeding.sla_demo import SlaChooser

# A demo rep's own unsolved tickets at the end of the history (``Simulator.workload``): new
# (routed to them, untouched), open (the customer answered their question) and pending
# (waiting on the customer), per rep.
WORKLOAD = (("new", 3), ("open", 4), ("pending", 4))


@dataclass(frozen=True)
class _Weighted:
    items: tuple
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, pairs) -> _Weighted:
        items, weights = zip(*pairs, strict=True)
        return cls(tuple(items), tuple(accumulate(weights)))

    def draw(self, u: float):
        return self.items[bisect(self.cumulative, u * self.cumulative[-1])]


CATEGORY_WEIGHTS = {
    "login-password": 7, "account-changes": 4, "billing-question": 7, "refund-request": 7,
    "invoice": 4, "payment-failed": 4, "return-request": 7, "exchange": 3, "damaged-item": 4,
    "warranty": 2, "order-status": 9, "shipping-delay": 6, "lost-package": 3,
    "technical-issue": 11, "how-to": 9, "cancellation": 5, "feedback": 3, "api-integration": 3,
}  # fmt: skip
OUTBOUND_CATEGORIES = ("billing-question", "payment-failed", "order-status", "shipping-delay")
CHANNELS = _Weighted.of((("email", 40), ("web", 22), ("phone", 15), ("chat", 18), ("api", 2)))
PRIORITY_MIX = _Weighted.of((("low", 18), ("normal", 55), ("high", 20), ("urgent", 7)))
FIRST_TOUCH_MEAN = {
    "low": 10 * HOUR,
    "normal": 4 * HOUR,
    "high": 90 * MINUTE,
    "urgent": 25 * MINUTE,
}
OUTBOUND_OPENERS = text._bank(
    "We are reaching out about your recent order {order}.|"
    "Following up on your {plan} plan renewal.|"
    "We noticed a failed payment on your {payment}.|"
    "Your {product} shipment is delayed at {carrier} in {city}."
)


class Simulator:
    """Draws one storyline per ticket from a seeded ``random.Random``."""

    def __init__(
        self,
        rng: random.Random,
        ref: Reference,
        customers: list[int],
        until: int,
        sla: SlaChooser | None = None,
    ):
        self.rng, self.r, self.until = rng, rng.random, until
        self.sla = sla
        self.writer = text.Writer(rng)
        self.customers = customers
        self.teams = {team.pk: team for team in ref.teams.values()}
        self.teams_by_slug = ref.teams
        self.category_by_slug = {c.slug: c for c in CATEGORIES}
        self.categories = _Weighted.of(
            (self.category_by_slug[slug], weight) for slug, weight in CATEGORY_WEIGHTS.items()
        )
        self.category_ids = ref.categories
        self.tag_ids = ref.tags
        self.tier1 = [ref.teams[t.slug] for t in TEAMS if t.tier == 1 and t.slug in ref.teams]

    # --- helpers -----------------------------------------------------------------------

    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def between(self, low: int, high: int) -> int:
        return low + int(self.r() * (high - low))

    def expo(self, mean: float) -> int:
        return int(self.rng.expovariate(1.0 / mean))

    def work(self, t: int) -> int:
        """The first instant at or after ``t`` an agent picks work up (Mon-Fri 08-20 UTC)."""
        day, sec = divmod(t, DAY)
        if sec >= 20 * HOUR:
            day, sec = day + 1, -1
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        if weekday >= 5:
            day, sec = day + 7 - weekday, -1
        if sec < 8 * HOUR:
            sec = 8 * HOUR + self.between(0, 2 * HOUR)
        return day * DAY + sec

    def agent_of(self, team_id: int) -> int:
        return self.pick(self.teams[team_id].members)

    def body(self, *parts) -> str:
        return " ".join(self.writer.sentence(p) for p in parts)

    # --- storylines --------------------------------------------------------------------

    def ticket(self, created_at: int) -> SimTicket:
        r = self.r
        tk = SimTicket(self.until)
        outbound = r() < 0.06
        if outbound:
            category = self.category_by_slug[self.pick(OUTBOUND_CATEGORIES)]
            tk.channel = "email" if r() < 0.7 else "phone"
        else:
            category = self.categories.draw(r())
            tk.channel = CHANNELS.draw(r())
            if category.slug == "api-integration" and r() < 0.5:
                tk.channel = "api"
        home = self.teams_by_slug.get(category.team) or self.tier1[0]
        team = home
        if not outbound and home.tier == 1 and home.slug != "tier-1-support" and r() < 0.1:
            team = self.teams_by_slug.get("tier-1-support", home)  # misrouted to the general inbox
        self._draw(tk, created_at, category, team, outbound)
        answers = category.answers.split("|")
        if outbound:
            self._outbound(tk, answers, home)
        elif tk.channel == "phone":
            self._phone(tk, answers, home)
        else:
            self._inbound(tk, answers, home)
        return tk

    def _draw(self, tk: SimTicket, created_at: int, category, team, outbound: bool) -> None:
        """The ticket's fields at creation: priority, requester, text, tags, SLA versions."""
        r = self.r
        tk.team_id = team.pk
        tk.category_id = self.category_ids.get(category.slug)
        tk.priority = PRIORITY_MIX.draw(r())
        tk.initiated_by = "agent" if outbound else "customer"
        customers = self.customers
        tk.requester_id = customers[int(len(customers) * r() * r())]  # some customers write a lot
        tk.created_at = created_at
        if self.sla is not None:
            tk.sla_policy_version_id, tk.calendar_version_id = self.sla.choose(
                created_at,
                team=tk.team_id,
                channel=tk.channel,
                priority=tk.priority,
                requester=tk.requester_id,
                category=tk.category_id,
            )
        w = self.writer
        subject = w.fill(w.pick(category.subjects.split("|")))
        tk.subject = (subject[:1].upper() + subject[1:])[:200]
        details = category.details.split("|")
        if outbound:
            tk.description = self.body(OUTBOUND_OPENERS, details, text.AGENT_CLOSERS)
        else:
            tk.description = " ".join(
                (w.pick(text.GREETINGS), self.body(details, details), w.pick(text.SIGN_OFFS))
            )
        tags = [t for i, t in enumerate(category.tags) if r() < (0.8 if i == 0 else 0.4)]
        tags += [t for t in EXTRA_TAGS if r() < 0.04]
        tk.tag_ids = [self.tag_ids[t] for t in dict.fromkeys(tags) if t in self.tag_ids]

    def workload(self, reps: list[int], limit: int) -> list[SimTicket]:
        """At most ``limit`` recent Tier 1 tickets in the demo reps' hands (``WORKLOAD`` per
        rep, interleaved), created over the last three days and worked before ``until``."""
        team = self.teams_by_slug.get("tier-1-support")
        if team is None or not reps:
            return []
        plans = [(rep, plan) for plan, count in WORKLOAD for _ in range(count) for rep in reps]
        categories = [c for c in CATEGORIES if c.team == team.slug]
        out = []
        for rep, plan in plans[:limit]:
            tk = SimTicket(self.until)
            tk.channel = "email" if self.r() < 0.6 else "web"
            category = self.pick(categories)
            created = self.until - self.between(2 * HOUR, 3 * DAY)
            self._draw(tk, created, category, team, outbound=False)
            self._workload_story(tk, rep, plan, category.answers.split("|"))
            out.append(tk)
        return out

    def _workload_story(self, tk: SimTicket, rep: int, plan: str, answers) -> None:
        last = self.until - MINUTE  # every action before the history ends
        t = tk.created_at
        if plan == "new":
            tk.create(t, None, rep)  # routed straight to the rep, not touched yet
            tk.auto_acknowledge(t + self.between(0, 4))
            return
        tk.create(t, None, None)
        tk.auto_acknowledge(t + self.between(0, 4))
        t = min(t + self.between(10 * MINUTE, HOUR), last - 3 * HOUR)
        tk.claim(t, rep)
        t += self.between(2 * MINUTE, 20 * MINUTE)
        tk.reply(t, rep, self.body(text.AGENT_OPENERS, text.AGENT_ASK), new_status=PENDING)
        if plan == "open":
            t = min(t + self.between(20 * MINUTE, 2 * HOUR), last)
            tk.customer_reply(t, self.body(text.CUSTOMER_FOLLOWUPS))

    def _inbound(self, tk: SimTicket, answers, home) -> None:
        r, chat = self.r, tk.channel == "chat"
        t = tk.created_at
        tk.create(t, None, None)
        if tk.channel in ("email", "web", "api") and r() < 0.85:
            tk.auto_acknowledge(t + self.between(0, 4))
        if chat:
            t += self.between(20, 5 * MINUTE)
        else:
            t = self.work(t + self.expo(FIRST_TOUCH_MEAN[tk.priority]))
        if tk.team_id != home.pk:
            tk.update(t, self.agent_of(tk.team_id), team_id=home.pk, assignee=None)
            t = self.work(t + self.expo(2 * HOUR))
        agent = self.agent_of(tk.team_id)
        if r() < 0.9:
            tk.claim(t, agent)
            t += self.between(10, 90) if chat else self.between(2 * MINUTE, 30 * MINUTE)
        if r() < 0.05:
            bumped = PRIORITIES[min(PRIORITY_RANK[tk.priority] + 1, 3)]
            tk.update(t, agent, priority=bumped if bumped != tk.priority else "normal")
            t += self.between(MINUTE, 10 * MINUTE)
        self._conversation(tk, agent, t, answers, chat=chat)

    def _phone(self, tk: SimTicket, answers, home) -> None:
        agent = self.agent_of(tk.team_id)
        tk.create(tk.created_at, agent, agent)  # a call logged for the caller: inbound, opened
        t = tk.created_at + self.between(3 * MINUTE, 25 * MINUTE)
        if self.r() < 0.45:
            tk.update(t, agent, status=SOLVED)  # solved while the caller was on the line
            self._after_solve(tk, agent, answers)
            return
        self._conversation(tk, agent, t, answers, chat=False)

    def _outbound(self, tk: SimTicket, answers, home) -> None:
        agent = self.agent_of(tk.team_id)
        tk.create(tk.created_at, agent, agent)
        t = tk.created_at + self.between(5, 90)
        tk.update(t, agent, status=PENDING)
        if self.r() < 0.7:
            t += self.expo(10 * HOUR) + 10 * MINUTE
            tk.customer_reply(t, self.body(text.CUSTOMER_FOLLOWUPS))
            self._conversation(tk, agent, self.work(t + self.expo(3 * HOUR)), answers, chat=False)
        else:
            tk.update(self.work(t + self.between(4 * DAY, 8 * DAY)), agent, status=SOLVED)
            self._after_solve(tk, agent, answers)

    def _conversation(self, tk, agent, t, answers, *, chat: bool, reopened: int = 0) -> None:
        r, w = self.r, self.writer
        rounds = 1 + int(r() * r() * (3 if chat else 5))
        escalate_at = self.between(0, rounds) if r() < 0.07 and not reopened else -1
        hold_at = self.between(0, rounds) if r() < 0.07 and not chat else -1
        for i in range(rounds):
            team = self.teams[tk.team_id]
            if i == escalate_at and team.escalates_to is not None:
                if r() < 0.6:
                    tk.reply(t, agent, w.sentence(text.NOTES), public=False)
                    t += self.between(MINUTE, 10 * MINUTE)
                bump = "high" if r() < 0.35 and PRIORITY_RANK[tk.priority] < 2 else None
                reason = w.pick(text.ESCALATION_REASONS)
                tk.escalate(t, agent, team.escalates_to, reason, bump, flip=r() < 0.5)
                t = self.work(t + self.expo(3 * HOUR))
                agent = self.agent_of(team.escalates_to)
                tk.claim(t, agent)
                t += self.between(5 * MINUTE, 45 * MINUTE)
            if r() < 0.15:
                tk.reply(t, agent, w.sentence(text.NOTES), public=False)
                t += self.between(30, 15 * MINUTE)
            if i == hold_at:
                tk.reply(t, agent, w.sentence(text.HOLD_NOTES), public=False, new_status=ON_HOLD)
                stuck = r() < 0.1
                t = self.work(t + (self.between(20, 90) if stuck else self.between(1, 5)) * DAY)
            if i == rounds - 1:
                if r() < 0.8:
                    body = self.body(text.AGENT_OPENERS, answers, text.AGENT_CLOSERS)
                    tk.reply(t, agent, body, new_status=SOLVED)
                else:
                    tk.update(t, agent, status=SOLVED)
                break
            ask = self.body(text.AGENT_OPENERS, text.AGENT_ASK if r() < 0.6 else answers)
            new_status = None if chat or r() < 0.15 else PENDING
            tk.reply(t, agent, ask, new_status=new_status)
            if new_status == PENDING and r() < 0.12:
                if r() < 0.3:
                    return  # nobody followed up: an old ticket left pending
                t = self.work(t + self.between(3 * DAY, 7 * DAY))
                tk.reply(t, agent, w.pick(text.AGENT_NO_RESPONSE), new_status=SOLVED)
                break
            t += self.between(20, 4 * MINUTE) if chat else self.expo(10 * HOUR) + 5 * MINUTE
            tk.customer_reply(t, self.body(text.CUSTOMER_FOLLOWUPS))
            t = t + self.between(30, 3 * MINUTE) if chat else self.work(t + self.expo(3 * HOUR))
        self._after_solve(tk, agent, answers, reopened)

    def _after_solve(self, tk: SimTicket, agent: int, answers, reopened: int = 0) -> None:
        r = self.r
        if reopened < 3 and r() < (0.085 if not reopened else 0.15):
            t = tk.t + self.between(HOUR, 3 * DAY)
            thanks = r() < 0.25
            message = text.CUSTOMER_THANKS if thanks else text.CUSTOMER_REOPEN
            tk.customer_reply(t, self.writer.sentence(message))
            t = self.work(t + self.expo(4 * HOUR))
            if thanks:
                tk.update(t, agent, status=SOLVED)
                self._after_solve(tk, agent, answers, reopened + 1)
            else:
                self._conversation(tk, agent, t, answers, chat=False, reopened=reopened + 1)
            return
        tk.close(tk.t + 4 * DAY + self.between(0, 2 * HOUR))


def creation_instants(rng: random.Random, n: int, until: int, days: int = 180) -> list[int]:
    """``n`` sorted creation instants over the last ``days``: weekdays and office hours are
    busier and volume grows over the period."""
    start = until - days * DAY
    r = rng.random
    hour_weight = (0.15,) * 7 + (0.6, 1.0, 1.0, 1.0, 0.9, 0.8, 0.9, 1.0, 1.0, 0.9, 0.7, 0.5)
    hour_weight += (0.35,) * 5
    out = []
    while len(out) < n:
        t = start + int(r() * (until - start - 10 * MINUTE))
        day, sec = divmod(t, DAY)
        weight = hour_weight[sec // HOUR] * (0.8 + 0.4 * (t - start) / (until - start))
        if (day + 3) % 7 >= 5:
            weight *= 0.45
        if r() * 1.2 < weight:
            out.append(t)
    out.sort()
    return out
