"""The demo director's weekly KPI digest subscription (all teams): the first digest goes out
after the current week ends; the dashboard's "Send me a preview now" mails one at once (to
``var/mail/`` in the embedded mode)."""

from __future__ import annotations

from django.contrib.auth.models import User

# Digests are the KPI app's: demo seeding is a tool over every app, so it uses their service
# (no domain code of tickets depends on kpis).
from kpis.digests import services as digests
from kpis.digests.models import DigestSubscription


def seed_digest(director: User) -> int:
    if DigestSubscription.objects.exists():
        return 0
    digests.subscribe(by=director, cadence="weekly", teams=[])
    return 1
