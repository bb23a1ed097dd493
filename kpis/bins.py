"""Fixed value bins of durations (integer seconds) for exact percentiles at any scale.

The fold counts each day's per-ticket values per bin (``DailyHistogram``). A percentile of a
range then needs two steps, both exact (``kpis.selectors.percentiles``): sum the bins' counts
over the range to find the bin holding row ``⌊h⌋`` (and ``⌈h⌉``) of the sorted values, then
read only that bin's values in the range, in order, at the offset left over. The edges grow
by 5 % from 10 s up to 400 days (then one open bin), so a bin holds a few per cent of the
values at most, whatever the ticket count.

``EDGES[b]`` is the lower bound of bin ``b``; bin ``b`` is ``[EDGES[b], EDGES[b + 1])``, the
last one unbounded. PostgreSQL's ``width_bucket(v, EDGES) - 1`` gives the same bin.
"""

from __future__ import annotations

import math
from bisect import bisect_right

_TOP = 400 * 86_400


def _edges() -> tuple[int, ...]:
    edges = list(range(10))
    x = 10.0
    while x < _TOP:
        edge = math.ceil(x)
        if edge > edges[-1]:
            edges.append(edge)
        x *= 1.05
    return tuple(edges)


EDGES: tuple[int, ...] = _edges()


def bin_of(seconds: int) -> int:
    """The bin of a non-negative duration."""
    if seconds < 0:
        raise ValueError("durations are never negative")
    return bisect_right(EDGES, seconds) - 1


def bounds(b: int) -> tuple[int, int | None]:
    """``[lower, upper)`` of bin ``b``; upper None for the last bin."""
    return EDGES[b], EDGES[b + 1] if b + 1 < len(EDGES) else None


def sql_array() -> str:
    """The edges as a PostgreSQL array literal (constants: safe to inline)."""
    return "ARRAY[" + ",".join(map(str, EDGES)) + "]::bigint[]"
