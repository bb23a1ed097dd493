"""The planning page's fast paths give what the straightforward computation gives: the heat
map built in Python equals the template loop it replaced, and the memoized requirement equals
``requirement.plan`` (and is recomputed for another forecast or what-if)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.template import Context, Template

from staffing.planning import selectors
from staffing.planning.requirement import Params, compare_grid, plan

SLOTS = 7 * 48

# The heat map's body as the template rendered it before ``heatmap_rows``.
LOOP = (
    "{% load planning %}"
    "{% for row in cells %}<tr><th>{{ times|index:forloop.counter0 }}</th>"
    '{% for r, s, state in row %}<td style="--heat: {{ r|heat:peak }}"'
    '{% if state %} class="{{ state }}"{% endif %} title="required {{ r }}, scheduled {{ s }}">'
    "{% if r or s %}{{ r }}/{{ s }}{% endif %}</td>{% endfor %}</tr>{% endfor %}"
)
TAG = "{% load planning %}{% heatmap_rows cells times peak %}"


def _context(required: list[int], scheduled: list[int]) -> Context:
    return Context(
        {
            "cells": compare_grid(required, scheduled),
            "times": [f"{r // 2:02d}:{30 * (r % 2):02d}" for r in range(48)],
            "peak": max(required) or 1,
        }
    )


def test_heat_map_rows_equal_the_template_loop():
    rng = random.Random(7)
    cases = [
        ([0] * SLOTS, [0] * SLOTS),  # nothing required or scheduled: empty cells
        (
            [rng.randrange(0, 3000) for _ in range(SLOTS)],
            [rng.randrange(0, 3000) for _ in range(SLOTS)],
        ),
        ([rng.randrange(0, 9) for _ in range(SLOTS)], [rng.randrange(0, 12) for _ in range(SLOTS)]),
    ]
    for required, scheduled in cases:
        context = _context(required, scheduled)
        fast = Template(TAG).render(context)
        assert fast == Template(LOOP).render(context)
    # The cases cover every state of a cell.
    assert 'class="under"' in fast
    assert 'class="over"' in fast


def _figures(version: str | None) -> dict:
    rng = random.Random(11)
    weeks = [[rng.uniform(0, 40) for _ in range(SLOTS)] for _ in range(3)]
    figures = {
        "horizon": 3,
        "forecast_start": date(2026, 12, 7),
        "channels": {
            "phone": {"label": "Phone", "forecast": weeks},
            "email": {"label": "Email", "forecast": [[v / 2 for v in w] for w in weeks]},
        },
        "aht_seconds": {"phone": 300},
    }
    if version:
        figures["version"] = version
    return figures


def _same(a, b) -> bool:
    return [(w.start, w.contacts, w.on_queue, w.required, w.deferred_hours) for w in a] == [
        (w.start, w.contacts, w.on_queue, w.required, w.deferred_hours) for w in b
    ]


def test_memoized_requirement_equals_the_computation():
    params = Params(aht={"phone": 300, "email": 500}, shrinkage=Decimal("0.25"))
    figures = _figures("t1-v1")
    first = selectors._weeks(figures, params)
    assert _same(first, plan(figures, params))
    assert selectors._weeks(figures, params) is first  # asked again: the memo
    # Equal parameters built anew hit it too; another what-if is computed, not reused.
    assert selectors._weeks(figures, replace(params, aht=dict(params.aht))) is first
    other = replace(params, aht={"phone": 420, "email": 500})
    assert _same(selectors._weeks(figures, other), plan(figures, other))
    assert not _same(selectors._weeks(figures, other), first)
    # A new forecast (another version) is never answered from the old one's memo.
    changed = _figures("t1-v2")
    changed["channels"]["phone"]["forecast"][0][100] += 50
    again = selectors._weeks(changed, params)
    assert again is not first
    assert _same(again, plan(changed, params))
    assert not _same(again, first)
    # Figures built by hand (no version) are always computed.
    bare = _figures(None)
    assert selectors._weeks(bare, params) is not selectors._weeks(bare, params)


def test_memo_is_bounded():
    params = Params(aht={"phone": 300, "email": 500})
    for i in range(selectors.PLAN_MEMO_SIZE + 5):
        selectors._weeks(_figures(f"bound-{i}"), params)
    assert len(selectors._plans) == selectors.PLAN_MEMO_SIZE


@pytest.mark.django_db
def test_each_forecast_computation_has_its_own_version(team):
    from kpis.forecast.figures import team_forecast

    cache.clear()
    first = team_forecast(team.pk)
    assert team_forecast(team.pk)["version"] == first["version"]  # the cached figures
    cache.clear()  # recomputed (e.g. the hour passed): a new version, so no stale memo
    assert team_forecast(team.pk)["version"] != first["version"]
    cache.clear()


def _plain_plan(demand: dict, params: Params) -> list[tuple]:
    """The requirement as KPI_SPEC §7 words it, half hour by half hour, asking Erlang C
    (``erlang.agents_required``) about every live volume: what ``plan`` computed before its
    loops, its Erlang C and its bisection were made fast."""
    import math
    from datetime import timedelta

    from staffing import erlang
    from staffing.planning.requirement import LIVE_CHANNELS, aht_for

    growth = 1 + float(params.growth_percent) / 100
    window = min(SLOTS, max(1, params.reply_target_hours * 2))
    aht = {ch: aht_for(ch, params, demand["aht_seconds"]) for ch in demand["channels"]}
    asked: dict[tuple[str, int], int] = {}
    out = []
    for h in range(demand["horizon"]):
        live, deferred, contacts, hours = [0] * SLOTS, [0.0] * SLOTS, {}, {}
        for ch, figures in demand["channels"].items():
            volume = [v * growth for v in figures["forecast"][h]]
            contacts[ch] = sum(volume)
            if ch in LIVE_CHANNELS:
                for s, v in enumerate(volume):
                    tenths = round(v * 10)
                    if tenths > 0:
                        if (ch, tenths) not in asked:
                            asked[ch, tenths] = erlang.agents_required(
                                contacts=Decimal(tenths) / 10,
                                interval_minutes=30,
                                aht_seconds=aht[ch],
                                target_seconds=params.answer_seconds,
                                service_level_target=params.service_level,
                                max_occupancy=params.max_occupancy,
                            ).agents
                        live[s] += asked[ch, tenths]
                continue
            per_agent = aht[ch] / 1800 / window
            running = sum(volume[SLOTS - window + 1 :]) if window > 1 else 0.0
            for s in range(SLOTS):
                running += volume[s]
                deferred[s] += running * per_agent
                running -= volume[s - window + 1]
            hours[ch] = float(
                erlang.workload_agent_hours(
                    Decimal(str(round(contacts[ch], 3))), aht[ch], params.shrinkage
                )
            )
        on_queue = [live[s] + math.ceil(deferred[s] - 1e-9) for s in range(SLOTS)]
        required = [erlang.agents_scheduled(n, params.shrinkage) for n in on_queue]
        start = demand["forecast_start"] + timedelta(weeks=h)
        out.append((start, contacts, on_queue, required, hours))
    return out


def test_fast_plan_equals_the_plain_computation():
    rng = random.Random(5)
    figures = _figures(None)
    figures["channels"]["chat"] = {
        "label": "Chat",
        "forecast": [[rng.choice([0.0, 0.04, rng.uniform(0, 300)]) for _ in range(SLOTS)]] * 3,
    }
    figures["channels"]["web"] = {
        "label": "Web",
        "forecast": [[rng.uniform(0, 9) for _ in range(SLOTS)] for _ in range(3)],
    }
    cases = [
        Params(),
        Params(aht={"phone": 240, "chat": 700}, answer_seconds=15, max_occupancy=Decimal("0.9")),
        Params(
            growth_percent=Decimal("12.5"),
            service_level=Decimal("0.95"),
            shrinkage=Decimal("0.35"),
            reply_target_hours=1,
        ),
        Params(growth_percent=Decimal("-40"), answer_seconds=0, reply_target_hours=168),
        Params(aht={"phone": 37}, max_occupancy=Decimal("1"), reply_target_hours=24),
        Params(reply_target_hours=0),  # a window of one half hour
    ]
    for params in cases:
        fast = plan(figures, params)
        assert [
            (w.start, w.contacts, w.on_queue, w.required, w.deferred_hours) for w in fast
        ] == _plain_plan(figures, params)
    assert max(max(w.required) for w in fast) > 50  # large volumes were covered


def test_erlang_set_up_once_equals_agents_required():
    """``erlang.agents_required_for`` (many volumes, one AHT, target, cap) gives N* of
    ``agents_required`` bit for bit, over random inputs and the published examples."""
    from fractions import Fraction

    from staffing import erlang

    rng = random.Random(9)
    for _ in range(400):
        aht = rng.choice([30, 180, 330, 1110, rng.randrange(1, 5000)])
        answer = rng.choice([0, 20, 30, rng.randrange(0, 600)])
        target = Decimal(rng.choice(["0.8", "0.9", "0.99", str(rng.randrange(1, 1000) / 1000)]))
        cap = rng.choice(
            [None, Decimal("0.85"), Decimal("1"), Decimal(rng.randrange(1, 101)) / 100]
        )
        inputs = {
            "interval_minutes": 30,
            "aht_seconds": aht,
            "target_seconds": answer,
            "service_level_target": target,
            "max_occupancy": cap,
        }
        n_star = erlang.agents_required_for(**inputs)
        for contacts in [Fraction(rng.randrange(0, 20000), 10), Decimal("28.5"), 100, 0]:
            expected = erlang.agents_required(contacts=contacts, **inputs).agents
            assert n_star(contacts) == expected
