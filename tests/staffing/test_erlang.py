"""Erlang C against the worked examples of KPI_SPEC.md §8 and the edges of §9.13."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from staffing.erlang import (
    Evaluation,
    Requirement,
    agents_required,
    agents_scheduled,
    erlang_b,
    evaluate,
    p_wait,
    traffic,
    workload_agent_hours,
)

EIGHTY = Decimal("0.80")


def _exact_p_wait(n: int, a: Fraction) -> Fraction:
    """Oracle: the §7 factorial form, in exact rationals (no overflow, no rounding)."""
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


def _percent(value: float | None, digits: int = 1) -> float:
    assert value is not None
    return round(value * 100, digits)


def _round(value: float | None, digits: int) -> float:
    assert value is not None
    return round(value, digits)


def test_traffic_is_exact_erlangs() -> None:
    assert traffic(100, 30, 180) == Fraction(10)
    assert traffic(57, 60, 1110) == Fraction(703, 40)  # 17.575
    assert traffic(Decimal("250"), Decimal("60"), Decimal("330")) == Fraction(275, 12)
    assert traffic(0, 30, 180) == Fraction(0)


def test_erlang_b_recursion_small_case() -> None:
    # given A = 2, N = 2: B_1 = 2/3, B_2 = (4/3) / (2 + 4/3) = 2/5
    assert erlang_b(2, Fraction(2)) == pytest.approx(0.4, rel=1e-15)


def test_cc_helper_example_100_calls_in_30_min_needs_14_agents_and_20_scheduled() -> None:
    # given: 100 calls / 30 min, AHT 180 s, 80 % in 20 s, 30 % shrinkage (A = 10 Erlangs)
    # when
    result = agents_required(
        contacts=100,
        interval_minutes=30,
        aht_seconds=180,
        target_seconds=20,
        service_level_target=EIGHTY,
        shrinkage=Decimal("0.30"),
    )
    # then: 14 on queue, SL 88.8 %, ASA 7.84 s; ⌈14 / 0.7⌉ = 20 scheduled
    assert (result.agents, result.agents_for_service_level, result.agents_scheduled) == (14, 14, 20)
    assert _percent(result.service_level, 1) == 88.8
    assert _round(result.asa_seconds, 2) == 7.84
    assert _round(result.p_wait, 4) == 0.1741
    assert result.occupancy == 10 / 14
    assert result.p_wait == pytest.approx(float(_exact_p_wait(14, Fraction(10))), rel=1e-12)


def test_cc_helper_example_13_agents_miss_the_target() -> None:
    # when
    result = evaluate(13, contacts=100, interval_minutes=30, aht_seconds=180, target_seconds=20)
    # then: 79.6 % < 80 %, which is why 14 are required
    assert _percent(result.service_level, 1) == 79.6
    assert _round(result.asa_seconds, 2) == 17.12


def test_cc_excel_example_21_agents_answer_80_7_percent_in_180_s() -> None:
    # given: 57 calls/h, AHT 1110 s (A = 17.575)
    # when
    result = evaluate(21, contacts=57, interval_minutes=60, aht_seconds=1110, target_seconds=180)
    # then
    assert _percent(result.service_level, 1) == 80.7
    assert result.stable is True
    assert _round(result.asa_seconds, 1) == 109.3
    assert result.occupancy == float(Fraction(703, 840))  # 17.575 / 21, rounded once
    required = agents_required(
        contacts=57,
        interval_minutes=60,
        aht_seconds=1110,
        target_seconds=180,
        service_level_target=EIGHTY,
    )
    assert required.agents == 21


def test_cc_excel_example_same_load_needs_23_agents_for_80_percent_in_20_s() -> None:
    # given: the same load, the answer target tightened from 180 s to 20 s
    # when
    result = agents_required(
        contacts=57,
        interval_minutes=60,
        aht_seconds=1110,
        target_seconds=20,
        service_level_target=EIGHTY,
    )
    below = evaluate(22, contacts=57, interval_minutes=60, aht_seconds=1110, target_seconds=20)
    # then: 22 agents reach 78.5 %, 23 reach 85.7 %
    assert result.agents == 23
    assert _percent(below.service_level, 1) == 78.5
    assert _percent(result.service_level, 1) == 85.7


def test_jonesthenet_example_250_calls_per_hour_needs_28_agents() -> None:
    # given: 250 calls/h, AHT 330 s, 80 % in 30 s (A = 22.92)
    # when
    result = agents_required(
        contacts=250,
        interval_minutes=60,
        aht_seconds=330,
        target_seconds=30,
        service_level_target=EIGHTY,
    )
    # then
    assert result.agents == 28
    assert _percent(result.service_level, 1) == 85.7
    assert _round(result.asa_seconds, 2) == 14.75


def test_about_300_agents_do_not_overflow() -> None:
    # given: A = 280 Erlangs; the factorial form would need 280**300 as a float
    with pytest.raises(OverflowError):
        float(280**300)
    # when
    required = agents_required(
        contacts=2800,
        interval_minutes=30,
        aht_seconds=180,
        target_seconds=20,
        service_level_target=EIGHTY,
    )
    at_300 = evaluate(300, contacts=2800, interval_minutes=30, aht_seconds=180, target_seconds=20)
    # then
    assert required.agents == 289
    assert _percent(required.service_level, 1) == 82.2
    assert _percent(at_300.service_level, 2) == 98.22
    assert at_300.p_wait == pytest.approx(float(_exact_p_wait(300, Fraction(280))), rel=1e-12)


def test_shrinkage_ceiling_is_exact() -> None:
    # given: in binary floats ⌈21 / (1 − 0.3)⌉ is 31
    assert math.ceil(21 / (1 - 0.3)) == 31
    # when / then
    assert agents_scheduled(21, Decimal("0.3")) == 30
    assert agents_scheduled(21, "0.3") == 30
    assert agents_scheduled(14, Decimal("0")) == 14
    assert agents_scheduled(0, Decimal("0.5")) == 0


def test_occupancy_cap_raises_n_star_with_an_exact_ceiling() -> None:
    # given: A = 21 (210 calls / 30 min, AHT 180 s); 21 / 0.7 is 30.000000000000004 in floats
    # when
    result = agents_required(
        contacts=210,
        interval_minutes=30,
        aht_seconds=180,
        target_seconds=20,
        service_level_target=EIGHTY,
        max_occupancy=Decimal("0.7"),
    )
    # then: N_occ = 30 exactly, above N_SL; figures reported at N* = 30
    assert result.agents_for_occupancy == 30
    assert result.agents_for_service_level == 25
    assert result.agents == 30
    assert result.occupancy == 0.7
    assert _percent(result.service_level, 1) == 98.4


def test_occupancy_cap_of_one_never_lowers_n_sl() -> None:
    result = agents_required(
        contacts=100,
        interval_minutes=30,
        aht_seconds=180,
        target_seconds=20,
        service_level_target=EIGHTY,
        max_occupancy=1,
    )
    assert (result.agents_for_occupancy, result.agents) == (10, 14)


def test_no_contacts_needs_no_agents_and_reports_null_figures() -> None:
    # when
    result = agents_required(
        contacts=0,
        interval_minutes=30,
        aht_seconds=180,
        target_seconds=20,
        service_level_target=EIGHTY,
        max_occupancy=Decimal("0.85"),
        shrinkage=Decimal("0.3"),
    )
    # then
    assert result == Requirement(
        traffic=Fraction(0),
        agents=0,
        agents_for_service_level=0,
        agents_for_occupancy=0,
        agents_scheduled=0,
        p_wait=None,
        service_level=None,
        asa_seconds=None,
        occupancy=None,
    )


def test_evaluating_agents_with_no_contacts_is_idle() -> None:
    result = evaluate(3, contacts=0, interval_minutes=30, aht_seconds=180, target_seconds=20)
    assert result == Evaluation(3, Fraction(0), True, 0.0, 1.0, 0.0, 0.0)


@pytest.mark.parametrize("agents", [10, 9, 1])
def test_unstable_agent_count_reports_unbounded_queue(agents: int) -> None:
    # given: A = 10 Erlangs and N <= A
    # when
    result = evaluate(agents, contacts=100, interval_minutes=30, aht_seconds=180, target_seconds=20)
    # then
    assert result == Evaluation(agents, Fraction(10), False, 1.0, 0.0, None, 1.0)
    assert p_wait(agents, Fraction(10)) == 1.0


def test_zero_answer_target_gives_one_minus_p_wait() -> None:
    result = evaluate(14, contacts=100, interval_minutes=30, aht_seconds=180, target_seconds=0)
    assert result.service_level == 1 - result.p_wait


def test_email_workload_in_agent_hours() -> None:
    # given: 420 emails, AHT 360 s, 30 % shrinkage -> 42 h of work / 0.7
    assert workload_agent_hours(420, 360, Decimal("0.3")) == Fraction(60)
    assert workload_agent_hours(Decimal("100"), Decimal("90")) == Fraction(5, 2)
    assert workload_agent_hours(0, 360) == Fraction(0)


_BASE = {
    "contacts": 100,
    "interval_minutes": 30,
    "aht_seconds": 180,
    "target_seconds": 20,
    "service_level_target": EIGHTY,
}


@pytest.mark.parametrize(
    ("_case", "override", "message"),
    [
        ("negative_contacts", {"contacts": -1}, "contacts must be >= 0, got -1"),
        ("zero_interval", {"interval_minutes": 0}, "interval_minutes must be > 0, got 0"),
        ("zero_aht", {"aht_seconds": Decimal("0")}, "aht_seconds must be > 0, got 0"),
        ("negative_target", {"target_seconds": -5}, "target_seconds must be >= 0, got -5"),
        (
            "service_level_one",
            {"service_level_target": Decimal("1")},
            r"service_level_target must be in \(0, 1\), got 1",
        ),
        (
            "service_level_zero",
            {"service_level_target": 0},
            r"service_level_target must be in \(0, 1\), got 0",
        ),
        (
            "occupancy_zero",
            {"max_occupancy": Decimal("0")},
            r"max_occupancy must be in \(0, 1\], got 0",
        ),
        (
            "occupancy_above_one",
            {"max_occupancy": Decimal("1.2")},
            r"max_occupancy must be in \(0, 1\], got 1.2",
        ),
        ("shrinkage_one", {"shrinkage": 1}, r"shrinkage must be in \[0, 1\), got 1"),
        (
            "shrinkage_negative",
            {"shrinkage": Decimal("-0.1")},
            r"shrinkage must be in \[0, 1\), got -0.1",
        ),
        ("nan", {"contacts": Decimal("NaN")}, "contacts must be a finite number, got NaN"),
        ("not_a_number", {"aht_seconds": "abc"}, "aht_seconds must be a number, got 'abc'"),
    ],
)
def test_agents_required_refuses_out_of_domain_inputs(
    _case: str, override: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        agents_required(**{**_BASE, **override})  # type: ignore[arg-type]


def test_float_inputs_are_refused() -> None:
    with pytest.raises(TypeError, match="shrinkage must be a Decimal, int, Fraction or str"):
        agents_scheduled(21, 0.3)  # type: ignore[arg-type]


def test_evaluate_requires_at_least_one_agent() -> None:
    with pytest.raises(ValueError, match="agents must be at least 1, got 0"):
        evaluate(0, contacts=100, interval_minutes=30, aht_seconds=180, target_seconds=20)


def test_workload_refuses_negative_volume() -> None:
    with pytest.raises(ValueError, match="volume must be >= 0, got -3"):
        workload_agent_hours(-3, 360)
