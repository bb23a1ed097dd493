"""Erlang C staffing (KPI_SPEC.md §7, edges §9.13). Pure: standard library only.

Inputs are the stored decimals (``Decimal``, ``int``, ``Fraction`` or a numeric ``str``):
``contacts`` C per interval of ``interval_minutes`` L, average handle time ``aht_seconds`` h,
target answer time ``target_seconds`` T, target service level ``service_level_target`` s*,
optional ``max_occupancy`` o_max and ``shrinkage`` r. Traffic ``A = C·h / (60·L)`` Erlangs,
``N_occ`` and both ceilings are exact rationals; P_wait, SL, ASA and occupancy are floats
(they go through ``exp``). P_wait uses the Erlang-B recursion, so N in the thousands is fine.

Decisions (where the spec is silent):
- ``float`` inputs are refused with TypeError: ``0.3`` is not 3/10, and the ⌈21/(1−0.3)⌉ = 30
  rule only holds for exact inputs. ``bool`` is refused too.
- Domains beyond §9.13: ``L > 0``, ``h > 0``, ``T ≥ 0`` (T = 0 gives SL = 1 − P_wait),
  ``N`` an int ≥ 1, workload volume ≥ 0. Violations raise ValueError naming the input.
- ``SL(N) ≥ s*`` compares the float SL with the exact s* (Python compares them exactly).
- With C = 0 ``evaluate(N)`` is well defined (P_wait 0, SL 1, ASA 0, occupancy 0); only
  ``agents_required`` returns N* = 0 with null values (§9.13).
- ``workload_agent_hours`` returns an exact Fraction; the caller rounds for display.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

Exact = Decimal | int | Fraction | str


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Erlang C figures for ``agents`` on-queue agents."""

    agents: int
    traffic: Fraction
    stable: bool
    p_wait: float
    service_level: float
    asa_seconds: float | None  # None when unstable (unbounded)
    occupancy: float


@dataclass(frozen=True, slots=True)
class Requirement:
    """``agents`` = N* = max(N_SL, N_occ) and the figures at N* (None when C = 0)."""

    traffic: Fraction
    agents: int
    agents_for_service_level: int
    agents_for_occupancy: int | None
    agents_scheduled: int
    p_wait: float | None
    service_level: float | None
    asa_seconds: float | None
    occupancy: float | None


def _exact(name: str, value: Exact) -> Fraction:
    """The exact rational of a stored decimal input."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | Fraction | str):
        raise TypeError(
            f"{name} must be a Decimal, int, Fraction or str, not {type(value).__name__}"
            " (binary floats are not exact)"
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name} must be a finite number, got {value}")
    try:
        return Fraction(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {value!r}") from None


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _agents(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"agents must be an int, not {type(n).__name__}")
    _check(n >= 1, f"agents must be at least 1, got {n}")
    return n


def traffic(contacts: Exact, interval_minutes: Exact, aht_seconds: Exact) -> Fraction:
    """Offered load ``A = C·h / (60·L)`` in Erlangs, exactly."""
    c = _exact("contacts", contacts)
    minutes = _exact("interval_minutes", interval_minutes)
    h = _exact("aht_seconds", aht_seconds)
    _check(c >= 0, f"contacts must be >= 0, got {contacts}")
    _check(minutes > 0, f"interval_minutes must be > 0, got {interval_minutes}")
    _check(h > 0, f"aht_seconds must be > 0, got {aht_seconds}")
    return c * h / (60 * minutes)


def erlang_b(n: int, a: Fraction) -> float:
    """Erlang B blocking ``B_n`` by the recursion ``B_k = A·B_{k−1} / (k + A·B_{k−1})``."""
    load, b = float(a), 1.0
    for k in range(1, n + 1):
        b = load * b / (k + load * b)
    return b


def _p_wait_from_b(n: int, a: Fraction, b: float) -> float:
    return n * b / (n - float(a) * (1 - b))


def p_wait(n: int, a: Fraction) -> float:
    """Probability that a contact waits (Erlang C); 1 when ``n ≤ A`` (unstable)."""
    if n <= a:
        return 1.0
    return _p_wait_from_b(n, a, erlang_b(n, a))


def _figures(n: int, a: Fraction, pw: float, h: Fraction, t: Fraction) -> Evaluation:
    if n <= a:
        return Evaluation(n, a, False, 1.0, 0.0, None, 1.0)
    spare = float(n - a)
    return Evaluation(
        agents=n,
        traffic=a,
        stable=True,
        p_wait=pw,
        service_level=1 - pw * math.exp(-spare * float(t) / float(h)),
        asa_seconds=pw * float(h) / spare,
        occupancy=float(a / n),
    )


def evaluate(
    n: int,
    *,
    contacts: Exact,
    interval_minutes: Exact,
    aht_seconds: Exact,
    target_seconds: Exact,
) -> Evaluation:
    """P_wait, service level within ``target_seconds``, ASA and occupancy for ``n`` agents."""
    n = _agents(n)
    a = traffic(contacts, interval_minutes, aht_seconds)
    h, t = _exact("aht_seconds", aht_seconds), _exact("target_seconds", target_seconds)
    _check(t >= 0, f"target_seconds must be >= 0, got {target_seconds}")
    return _figures(n, a, p_wait(n, a), h, t)


def agents_scheduled(on_queue: int, shrinkage: Exact) -> int:
    """Paid agents for ``on_queue`` agents on the queue: ``⌈N / (1 − r)⌉``, exactly."""
    r = _exact("shrinkage", shrinkage)
    _check(0 <= r < 1, f"shrinkage must be in [0, 1), got {shrinkage}")
    _check(on_queue >= 0, f"on-queue agents must be >= 0, got {on_queue}")
    return math.ceil(on_queue / (1 - r))


def agents_required(
    *,
    contacts: Exact,
    interval_minutes: Exact,
    aht_seconds: Exact,
    target_seconds: Exact,
    service_level_target: Exact,
    max_occupancy: Exact | None = None,
    shrinkage: Exact = 0,
) -> Requirement:
    """``N* = max(N_SL, N_occ)``, agents scheduled, and the figures at ``N*``."""
    a = traffic(contacts, interval_minutes, aht_seconds)
    h, t = _exact("aht_seconds", aht_seconds), _exact("target_seconds", target_seconds)
    s = _exact("service_level_target", service_level_target)
    _check(t >= 0, f"target_seconds must be >= 0, got {target_seconds}")
    _check(0 < s < 1, f"service_level_target must be in (0, 1), got {service_level_target}")
    o_max = None if max_occupancy is None else _exact("max_occupancy", max_occupancy)
    _check(o_max is None or 0 < o_max <= 1, f"max_occupancy must be in (0, 1], got {max_occupancy}")
    agents_scheduled(0, shrinkage)  # validates shrinkage before any early return
    if a == 0:
        return Requirement(a, 0, 0, None if o_max is None else 0, 0, None, None, None, None)
    # N_SL: smallest N > A with SL(N) >= s*, carrying the Erlang-B recursion along.
    n, b = math.floor(a) + 1, erlang_b(math.floor(a) + 1, a)
    load = float(a)
    while _figures(n, a, _p_wait_from_b(n, a, b), h, t).service_level < s:
        n += 1
        b = load * b / (n + load * b)
    n_sl = n
    n_occ = None if o_max is None else math.ceil(a / o_max)
    best = max(n_sl, n_occ or 0)
    at_best = _figures(best, a, p_wait(best, a), h, t)
    return Requirement(
        traffic=a,
        agents=best,
        agents_for_service_level=n_sl,
        agents_for_occupancy=n_occ,
        agents_scheduled=agents_scheduled(best, shrinkage),
        p_wait=at_best.p_wait,
        service_level=at_best.service_level,
        asa_seconds=at_best.asa_seconds,
        occupancy=at_best.occupancy,
    )


def workload_agent_hours(volume: Exact, aht_seconds: Exact, shrinkage: Exact = 0) -> Fraction:
    """Paid agent-hours to work a backlog (email): ``volume × AHT / 3600 / (1 − r)``."""
    v, h = _exact("volume", volume), _exact("aht_seconds", aht_seconds)
    r = _exact("shrinkage", shrinkage)
    _check(v >= 0, f"volume must be >= 0, got {volume}")
    _check(h > 0, f"aht_seconds must be > 0, got {aht_seconds}")
    _check(0 <= r < 1, f"shrinkage must be in [0, 1), got {shrinkage}")
    return v * h / 3600 / (1 - r)


def agents_required_for(
    *,
    interval_minutes: Exact,
    aht_seconds: Exact,
    target_seconds: Exact,
    service_level_target: Exact,
    max_occupancy: Exact | None = None,
) -> Callable[[Exact], int]:
    """``contacts ↦ agents_required(contacts=contacts, ...).agents`` (N*) for many volumes
    sharing the other inputs, validated once.

    The same arithmetic as ``agents_required``, step for step: the same float operations in
    the same order (so the same P_wait and service level bits), the traffic as an exact
    ratio of integers (float of it correctly rounded, as ``float(Fraction)`` is), and
    ``SL ≥ s*`` decided exactly through the smallest float not below s*. Without the
    rationals per step it is many times faster (a what-if asks about hundreds of volumes)."""
    minutes = _exact("interval_minutes", interval_minutes)
    h = _exact("aht_seconds", aht_seconds)
    t = _exact("target_seconds", target_seconds)
    s = _exact("service_level_target", service_level_target)
    _check(minutes > 0, f"interval_minutes must be > 0, got {interval_minutes}")
    _check(h > 0, f"aht_seconds must be > 0, got {aht_seconds}")
    _check(t >= 0, f"target_seconds must be >= 0, got {target_seconds}")
    _check(0 < s < 1, f"service_level_target must be in (0, 1), got {service_level_target}")
    o_max = None if max_occupancy is None else _exact("max_occupancy", max_occupancy)
    _check(o_max is None or 0 < o_max <= 1, f"max_occupancy must be in (0, 1], got {max_occupancy}")
    # A = C·h / (60·L) = C.num·h.num·L.den / (C.den·h.den·60·L.num), an unreduced ratio.
    num_k = h.numerator * minutes.denominator
    den_k = h.denominator * 60 * minutes.numerator
    ft, fh = float(t), float(h)
    sl_min = float(s)  # the smallest float >= s*: float SL >= s* exactly when SL >= sl_min
    if Fraction(sl_min) < s:
        sl_min = math.nextafter(sl_min, math.inf)
    exp = math.exp

    def agents(contacts: Exact) -> int:
        c = _exact("contacts", contacts)
        _check(c >= 0, f"contacts must be >= 0, got {contacts}")
        num, den = c.numerator * num_k, c.denominator * den_k
        if num == 0:
            return 0
        load = num / den  # == float(A)
        n = num // den + 1
        b = 1.0
        for k in range(1, n + 1):  # erlang_b(n, A)
            b = load * b / (k + load * b)
        while True:
            pw = n * b / (n - load * (1 - b))  # _p_wait_from_b
            spare = (n * den - num) / den  # == float(n − A)
            if 1 - pw * exp(-spare * ft / fh) >= sl_min:
                break
            n += 1
            b = load * b / (n + load * b)
        if o_max is None:
            return n
        # ⌈A / o_max⌉, exactly
        n_occ = -(-(num * o_max.denominator) // (den * o_max.numerator))
        return max(n, n_occ)

    return agents
