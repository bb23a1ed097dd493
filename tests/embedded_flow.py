"""Run by tests/test_embedded_smoke.py in a fresh process on the embedded defaults."""

from __future__ import annotations

import sys

import django
from django.conf import settings

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402

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
client = Client()
assert (
    client.post("/login/", {"username": "smoke-rep", "password": "pw-smoke-123"}).status_code == 302
)
page = client.get("/tickets/", {"q": "refund"})
assert page.status_code == 200, page.status_code
assert f'href="/tickets/{ticket.pk}/"' in page.content.decode()
assert "Showing 1–1 of 1 tickets" in page.content.decode()
assert client.get(f"/tickets/{ticket.pk}/").status_code == 200
sys.stdout.write(f"EMBEDDED-OK {ticket.pk}\n")
