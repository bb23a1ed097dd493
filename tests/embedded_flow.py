"""Run by tests/test_embedded_smoke.py in a fresh process on the embedded defaults."""

from __future__ import annotations

import sys

import django
from django.conf import settings

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402

from csops.jobs import runner  # noqa: E402
from kpis import rollup  # noqa: E402
from kpis.models import DailyRollup  # noqa: E402
from kpis.models.rollups import ALL, BY_TEAM, DIMS, FULL  # noqa: E402
from kpis.refresh import refresh_tickets  # noqa: E402
from staffing.models import Team  # noqa: E402
from tickets import services  # noqa: E402
from tickets.models import Customer  # noqa: E402

assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
assert settings.CELERY_BROKER_URL == "filesystem://"
team = Team.objects.create(name="Tier 1", slug="tier-1")
rep = User.objects.create_user("smoke-rep", password="pw-smoke-123")
rep.groups.add(Group.objects.get(name="Rep"))
team.members.add(rep)
customer = Customer.objects.create(name="Sam", email="sam@example.org")
ticket = services.create_ticket(
    by=None, requester=customer, subject="Embedded works", description="hi", team=team
)
services.claim(ticket.pk, by=rep)
services.reply(ticket.pk, by=rep, body="refund issued", public=True, expected_version=2)
runner.run_due()  # the reply's email job: on the embedded default, a file under var/mail
client = Client()
assert (
    client.post("/login/", {"username": "smoke-rep", "password": "pw-smoke-123"}).status_code == 302
)
page = client.get("/tickets/", {"q": "refund"})
assert page.status_code == 200, page.status_code
assert f'href="/tickets/{ticket.pk}/"' in page.content.decode()
assert "Showing 1–1 of 1 tickets" in page.content.decode()
assert client.get(f"/tickets/{ticket.pk}/").status_code == 200

# KPIs on SQLite: the fold's portable SQL writes every level, and a filtered dashboard reads it.
refresh_tickets([ticket.pk])
rollup.fold_dirty()
levels = set(DailyRollup.objects.filter(kind="created").values_list("level", flat=True))
assert levels == {FULL, DIMS, BY_TEAM, ALL}, levels
director = User.objects.create_user("smoke-director", password="pw-smoke-123")
director.groups.add(Group.objects.get(name="Director"))
client.force_login(director)
ticket.refresh_from_db()
filtered = {"team": team.pk, "channel": ticket.channel, "priority": ticket.priority}
assert client.get("/kpis/", filtered).status_code == 200
trend = client.get("/api/v1/kpis/timeseries/", {**filtered, "metric": "first_reply_median"})
assert sum(p["count"] for p in trend.json()["points"]) == 1, trend.content
sys.stdout.write(f"EMBEDDED-OK {ticket.pk}\n")
