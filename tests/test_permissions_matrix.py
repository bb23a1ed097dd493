"""Every URL × every role, with the expected status; a URL missing here fails the suite.

Each row names a URL (``namespace:name``), the method, how to build its arguments (a fresh
ticket per call, so roles never see each other's changes) and the status per persona.
For writes, a refused request must leave the ticket exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from csops.models import Heartbeat
from csops.tasks import record_heartbeat
from tickets.models import Ticket
from tests.factories import UserFactory, make_ticket

pytestmark = pytest.mark.django_db

PERSONAS = ("anon", "no_role", "rep", "rep_other_team", "manager", "director", "admin")
STAFF = {p: None for p in PERSONAS if p not in ("anon", "no_role")}


def _all(status: int, **overrides: int) -> dict[str, int]:
    return {p: overrides.get(p, status) for p in PERSONAS}


def _staff(status: int, *, anon: int = 302, no_role: int = 403, **overrides: int) -> dict[str, int]:
    return {"anon": anon, "no_role": no_role, **{p: overrides.get(p, status) for p in STAFF}}


@dataclass
class Row:
    method: str
    expect: dict[str, int]
    kwargs: Callable[[dict], dict] = lambda ctx: {}
    data: Callable[[dict], dict] = lambda ctx: {}
    writes: bool = False
    content_type: str | None = None


def _ticket(ctx) -> dict:
    ctx["ticket"] = make_ticket(ctx["team"])
    return {"pk": ctx["ticket"].pk}


ANON_API = 403  # DRF with session auth first answers 403 (no WWW-Authenticate challenge)

MATRIX: dict[str, Row] = {
    "home": Row("get", _staff(302)),
    "healthz": Row("get", _all(200)),
    "ping": Row("get", _staff(200)),
    "login": Row("get", _all(200)),
    "logout": Row("post", _all(302)),
    "admin:index": Row("get", _staff(302, no_role=403, admin=200)),
    "api-schema": Row("get", _staff(200, anon=ANON_API, no_role=403)),
    "api-docs": Row("get", _staff(200, anon=ANON_API, no_role=403)),
    "api-root": Row("get", _staff(200, anon=ANON_API, no_role=403)),
    "tickets:queue": Row("get", _staff(200)),
    "tickets:ticket-new": Row("get", _staff(200)),
    "tickets:ticket-detail": Row("get", _staff(200, rep_other_team=404), kwargs=_ticket),
    "tickets:ticket-claim": Row(
        "post", _staff(302, rep_other_team=404), kwargs=_ticket, writes=True
    ),
    "tickets:ticket-reply": Row(
        "post",
        _staff(302, rep_other_team=404),
        kwargs=_ticket,
        data=lambda ctx: {"body": "Hello", "kind": "public", "version": 1},
        writes=True,
    ),
    "tickets:ticket-update": Row(
        "post",
        _staff(302, rep_other_team=404),
        kwargs=_ticket,
        data=lambda ctx: {
            "status": "pending", "priority": "high", "team": ctx["team"].pk, "version": 1,
        },
        writes=True,
    ),
}

# Covered by Django admin's own checks behind admin:index (admin.site.has_permission).
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
    names |= {"admin:index"}
    assert sorted(names - set(MATRIX)) == [], "add these URLs to the permission matrix"
    assert sorted(set(MATRIX) - names) == [], "these matrix rows name no URL"


@pytest.fixture
def personas(team, other_team, rep, rep_other_team, manager, director, admin_user) -> dict[str, User | None]:
    return {
        "anon": None,
        "no_role": UserFactory(username="nobody"),
        "rep": rep,
        "rep_other_team": rep_other_team,
        "manager": manager,
        "director": director,
        "admin": admin_user,
    }


def _snapshot(ticket: Ticket | None):
    if ticket is None:
        return None
    ticket = Ticket.objects.get(pk=ticket.pk)
    return (ticket.version, ticket.status, ticket.priority, ticket.assignee_id, ticket.events.count())


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_access(name, persona, personas, team):
    row = MATRIX[name]
    if name == "healthz":
        record_heartbeat()
    ctx = {"team": team}
    url = reverse(name, kwargs=row.kwargs(ctx))
    client = Client()
    if personas[persona] is not None:
        client.force_login(personas[persona])
    before = _snapshot(ctx.get("ticket"))
    data = row.data(ctx)
    if row.content_type:
        response = getattr(client, row.method)(url, data, content_type=row.content_type)
    else:
        response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expect[persona], response.content[:300]
    if row.writes and response.status_code >= 400:
        assert _snapshot(ctx.get("ticket")) == before
    Heartbeat.objects.all().delete()
