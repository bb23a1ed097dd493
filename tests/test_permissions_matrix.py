"""Every URL × every role, with the expected status; a URL missing here fails the suite.

The rows live beside each app's tests (``tests/<app>/matrix*.py``, see ``tests/matrix.py``).
A refused write must leave its snapshot unchanged.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from csops.models import Heartbeat
from csops.tasks import record_heartbeat
from tests.factories import UserFactory
from tests.matrix import PERSONAS, Row

pytestmark = pytest.mark.django_db


def _load_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for path in sorted(Path(__file__).parent.glob("*/matrix*.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        overlap = set(rows) & set(module.ROWS)
        assert not overlap, f"URLs listed twice in the matrix: {overlap}"
        rows |= module.ROWS
    return rows


MATRIX = _load_rows()
# Django's own admin pages sit behind admin:index's check (admin.site.has_permission).
EXEMPT_PREFIXES = ("admin:",)


def _walk(patterns, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_named_url_is_in_the_matrix():
    names = {n for n in _walk(get_resolver().url_patterns) if not n.startswith(EXEMPT_PREFIXES)}
    names.add("admin:index")
    assert sorted(names - set(MATRIX)) == [], "add these URLs to the permission matrix"
    assert sorted(set(MATRIX) - names) == [], "these matrix rows name no URL"


@pytest.fixture
def ctx(team, other_team, rep, rep_other_team, manager, director, admin_user) -> dict:
    users = {
        "anon": None,
        "no_role": UserFactory(username="nobody"),
        "rep": rep,
        "rep_other_team": rep_other_team,
        "manager": manager,
        "director": director,
        "admin": admin_user,
    }
    return {"team": team, "other_team": other_team, "users": users}


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_access(name, persona, ctx):
    row = MATRIX[name]
    if name == "healthz":
        record_heartbeat()
    url = reverse(name, kwargs=row.kwargs(ctx))
    client = Client()
    if ctx["users"][persona] is not None:
        client.force_login(ctx["users"][persona])
    before = row.snapshot(ctx) if row.snapshot else None
    send = getattr(client, row.method)
    data = row.data(ctx)
    response = (
        send(url, data, content_type=row.content_type) if row.content_type else send(url, data)
    )
    assert response.status_code == row.expect[persona], response.content[:300]
    if row.snapshot and response.status_code >= 400:
        assert row.snapshot(ctx) == before, "a refused request changed data"
    Heartbeat.objects.all().delete()
