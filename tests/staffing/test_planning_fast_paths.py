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
