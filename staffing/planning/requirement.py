"""The staffing requirement per half hour from a demand forecast (KPI_SPEC §7). No ORM.

- Live channels (phone, chat): on-queue agents ``N*`` by Erlang C (``staffing.erlang``) with
  the service-level target, answer time, handle time and occupancy cap; the forecast volume
  goes in rounded to a tenth of a contact (so equal volumes share one computation).
- Deferred channels (email, web, API, ...): workload. A contact's work may be done anywhere in
  the reply window (``reply_target_hours``), so an interval's load is the window's arrivals
  spread evenly: agents = (arrivals of the last W intervals ÷ W) × AHT ÷ 1800 s.
- Paid agents per interval = ⌈on-queue / (1 − shrinkage)⌉ (``erlang.agents_scheduled``,
  exact), where on-queue = Σ live N* + ⌈Σ deferred load⌉.
- A week's agent-hours = Σ paid agents × ½ h; FTE = agent-hours ÷ hours per FTE.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import accumulate, islice
from typing import TypeVar

from staffing import erlang
from staffing.planning.models import LIVE_CHANNELS

SLOTS = 7 * 48
DEFAULT_AHT = {"phone": 360, "chat": 480, "email": 600, "web": 600, "api": 600}


@dataclass(frozen=True)
class Params:
    growth_percent: Decimal = Decimal("0")
    aht: dict[str, int] = field(default_factory=dict)
    service_level: Decimal = Decimal("0.8")
    answer_seconds: int = 20
    shrinkage: Decimal = Decimal("0.3")
    max_occupancy: Decimal = Decimal("0.85")
    reply_target_hours: int = 8
    hours_per_fte: Decimal = Decimal("40")

    def as_json(self) -> dict:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> Params:
        kwargs = dict(data)
        for name in ("growth_percent", "service_level", "shrinkage", "max_occupancy"):
            kwargs[name] = Decimal(str(kwargs[name]))
        kwargs["hours_per_fte"] = Decimal(str(kwargs["hours_per_fte"]))
        return cls(**kwargs)


T = TypeVar("T")


@lru_cache(maxsize=200_000)
def live_agents(
    tenths: int, aht: int, answer: int, service_level: Decimal, occupancy: Decimal
) -> int:
    """Erlang C ``N*`` for ``tenths``/10 contacts in a 30-minute interval (equal to
    ``erlang.agents_required(...).agents``; ``erlang.agents_required_for`` sets up once)."""
    if tenths <= 0:
        return 0
    return _n_star(aht, answer, service_level, occupancy)(Fraction(tenths, 10))


@lru_cache(maxsize=256)
def _n_star(aht: int, answer: int, service_level: Decimal, occupancy: Decimal):
    return erlang.agents_required_for(
        interval_minutes=30,
        aht_seconds=aht,
        target_seconds=answer,
        service_level_target=service_level,
        max_occupancy=occupancy,
    )


def monotone_fill(keys: list[int], f) -> dict[int, int]:
    """``f`` over sorted ``keys`` for a non-decreasing ``f``: equal values at both ends of a
    range fill the range without asking ``f`` about the keys inside."""
    out: dict[int, int] = {}
    if not keys:
        return out

    def value(i: int) -> int:
        if keys[i] not in out:
            out[keys[i]] = f(keys[i])
        return out[keys[i]]

    stack = [(0, len(keys) - 1)]
    while stack:
        lo, hi = stack.pop()
        a, b = value(lo), value(hi)
        if a == b:
            for i in range(lo + 1, hi):
                out[keys[i]] = a
        elif hi - lo > 1:
            mid = (lo + hi) // 2
            stack += [(lo, mid), (mid, hi)]
    return out


@lru_cache(maxsize=20_000)
def paid_agents(on_queue: int, shrinkage: Decimal) -> int:
    return erlang.agents_scheduled(on_queue, shrinkage)


@dataclass
class WeekPlan:
    start: object  # date
    contacts: dict[str, float]
    on_queue: list[int]  # per half hour of the week
    required: list[int]  # paid agents per half hour (with shrinkage)
    deferred_hours: dict[str, float]  # exact workload agent-hours per deferred channel

    @property
    def agent_hours(self) -> float:
        return sum(self.required) / 2

    def fte(self, hours_per_fte: Decimal) -> float:
        return self.agent_hours / float(hours_per_fte)


MAX_MEASURED_AHT = 3600  # agent work time above an hour per contact is not handle time


def aht_for(channel: str, params: Params, measured: dict) -> int:
    """The what-if's AHT, else the measured agent work time per contact when plausible (at
    most an hour: above that it is time the ticket sat open, not time worked), else the
    channel's default."""
    if params.aht.get(channel):
        return int(params.aht[channel])
    seen = measured.get(channel)
    if seen and seen <= MAX_MEASURED_AHT:
        return int(seen)
    return DEFAULT_AHT.get(channel, 600)


def plan(demand: dict, params: Params) -> list[WeekPlan]:
    """One ``WeekPlan`` per forecast week.

    The loops are written for speed (a what-if recomputes 12 weeks × channels × 336 half
    hours per request) but do the same float operations in the same order as the plain
    per-half-hour loops (tests/staffing/test_planning_fast_paths.py compares them)."""
    from datetime import timedelta

    growth = 1 + float(params.growth_percent) / 100
    window = min(SLOTS, max(1, params.reply_target_hours * 2))
    weeks: list[WeekPlan] = []
    channels = demand["channels"]
    measured = demand.get("aht_seconds", {})
    aht = {ch: aht_for(ch, params, measured) for ch in channels}
    # Live channels: N* for every distinct volume (in tenths) of the horizon at once. N* never
    # falls as volume grows (SL(N) falls with traffic; ⌈A/o_max⌉ rises), so where two
    # volumes need the same N*, every volume between them does too: bisecting the sorted
    # volumes asks Erlang C about a few of them instead of each one.
    scaled = {  # v × 1.0 is v: no growth, no copy
        ch: figures["forecast"]
        if growth == 1.0
        else [[v * growth for v in week] for week in figures["forecast"]]
        for ch, figures in channels.items()
    }
    tenths: dict[str, list[list[int]]] = {}
    live_n: dict[str, dict[int, int]] = {}
    for ch in channels:
        if ch not in LIVE_CHANNELS:
            continue
        tenths[ch] = [[round(v * 10) for v in week] for week in scaled[ch]]
        distinct = sorted({k for week in tenths[ch] for k in week} - {0})
        live_n[ch] = monotone_fill(
            distinct,
            lambda k, ch=ch: live_agents(
                k, aht[ch], params.answer_seconds, params.service_level, params.max_occupancy
            ),
        )
    paid_memo: dict[int, int] = {}
    shrinkage = params.shrinkage
    ceil = math.ceil
    for h in range(demand["horizon"]):
        live = [0] * SLOTS
        deferred = [0.0] * SLOTS
        contacts: dict[str, float] = {}
        deferred_hours: dict[str, float] = {}
        for ch in channels:
            volume = scaled[ch][h]
            contacts[ch] = sum(volume)
            if ch in LIVE_CHANNELS:
                get = live_n[ch].get
                # round(v·10) ≤ 0 needs nobody (live_agents' own rule)
                live = [n + get(k, 0) for n, k in zip(live, tenths[ch][h], strict=True)]
                continue
            # The window wraps into the same forecast week (the week before looks alike).
            per_agent = aht[ch] / 1800 / window
            running = sum(volume[SLOTS - window + 1 :]) if window > 1 else 0.0
            # The running window sum, half hour by half hour: running += volume[s], take it,
            # running -= volume[s − window + 1] (wrapping into the same week); as one
            # accumulate over (start, +v0, −l0, +v1, −l1, ...), which adds in the same order.
            leaving = volume[1 - window :] + volume[: 1 - window] if window > 1 else volume
            steps = [running] * (2 * len(volume) + 1)
            steps[1::2] = volume
            steps[2::2] = [-x for x in leaving]
            load = [a * per_agent for a in islice(accumulate(steps), 1, None, 2)]
            deferred = [d + x for d, x in zip(deferred, load, strict=True)]
            deferred_hours[ch] = float(
                erlang.workload_agent_hours(
                    Decimal(str(round(contacts[ch], 3))), aht[ch], params.shrinkage
                )
            )
        on_queue = [n + ceil(d - 1e-9) for n, d in zip(live, deferred, strict=True)]
        required = []
        for n in on_queue:
            paid = paid_memo.get(n)
            if paid is None:
                paid = paid_memo[n] = paid_agents(n, shrinkage)
            required.append(paid)
        start = demand["forecast_start"] + timedelta(weeks=h)
        weeks.append(WeekPlan(start, contacts, on_queue, required, deferred_hours))
    return weeks


def heat_grid(values: Sequence[T]) -> list[list[T]]:
    """336 half hours of a week as 48 rows (time of day) × 7 columns (Monday first)."""
    return [[values[d * 48 + r] for d in range(7)] for r in range(48)]


def staffing_state(required: int, scheduled: int) -> str:
    """ "under" when fewer are scheduled than required; "over" when at least 2 and 25 % more
    than required are scheduled; "" otherwise."""
    if scheduled < required:
        return "under"
    if scheduled - required >= max(2, math.ceil(required / 4)):
        return "over"
    return ""


def compare_grid(required: list[int], scheduled: list[int]) -> list[list[tuple[int, int, str]]]:
    """Required vs scheduled per cell of the heat map: (required, scheduled, state)."""
    cells = [(r, s, staffing_state(r, s)) for r, s in zip(required, scheduled, strict=True)]
    return heat_grid(cells)
