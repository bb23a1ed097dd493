"""Building blocks of the permission matrix (tests/test_permissions_matrix.py).

Each app lists its URLs in ``tests/<app>/matrix.py`` as ``ROWS: dict[str, Row]``. A row
names the method, the expected status per persona, how to build the URL kwargs and the
request data (``ctx`` holds ``team``, ``other_team`` and ``users``: the persona -> user map),
and, for writes, a ``snapshot(ctx)`` whose value must not change when the request is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PERSONAS = ("anon", "no_role", "rep", "rep_other_team", "manager", "director", "admin")
STAFF = ("rep", "rep_other_team", "manager", "director", "admin")
ANON_API = 403  # DRF with session auth first answers 403 (no WWW-Authenticate challenge)


def all_personas(status: int, **overrides: int) -> dict[str, int]:
    return {p: overrides.get(p, status) for p in PERSONAS}


def staff(status: int, *, anon: int = 302, no_role: int = 403, **overrides: int) -> dict[str, int]:
    """``status`` for every staff persona (with overrides); anonymous and no-role refused."""
    return {"anon": anon, "no_role": no_role, **{p: overrides.get(p, status) for p in STAFF}}


def api_staff(status: int, **overrides: int) -> dict[str, int]:
    return staff(status, anon=ANON_API, no_role=403, **overrides)


@dataclass
class Row:
    method: str
    expect: dict[str, int]
    kwargs: Callable[[dict], dict] = lambda ctx: {}
    data: Callable[[dict], Any] = lambda ctx: {}
    snapshot: Callable[[dict], Any] | None = None  # set for writes
    content_type: str | None = None  # e.g. "application/json" for API writes
