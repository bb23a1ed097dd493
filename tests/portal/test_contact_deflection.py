"""The contact form suggests help-center articles as the customer types the subject, records
a read that ended without a request as deflected, and shows an open public incident."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from policies.knowledge.models import Deflection
from tests.factories import make_incident
from tests.policies.knowledge_helpers import live_article

pytestmark = pytest.mark.django_db
FORM = {"name": "Robin Web", "email": "robin@example.org", "subject": "Refund timing",
        "message": "Where is it?"}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    caches["ratelimit"].clear()


def _visit(client) -> str:
    page = client.get(reverse("contact")).content.decode()
    assert 'hx-get="/help/suggest/"' in page
    return re.search(r'name="visit" value="([^"]+)"', page).group(1)


def test_a_read_without_a_request_counts_as_deflected(team, client, manager, director):
    article = live_article(manager, director, title="How long does a refund take?")
    visit = _visit(client)
    suggestions = client.get(reverse("help:suggest"), {"subject": "refund", "visit": visit})
    link = f"/help/a/{article.slug}/?visit={visit}"
    assert link in suggestions.content.decode()
    client.get(link)
    assert Deflection.objects.filter(visit=visit, submitted_at__isnull=True).count() == 1


def test_sending_the_request_after_reading_is_not_deflected(team, client, manager, director):
    article = live_article(manager, director)
    visit = _visit(client)
    client.get(f"/help/a/{article.slug}/?visit={visit}")
    response = client.post(reverse("contact"), {**FORM, "visit": visit})
    assert response.status_code == 200
    assert Deflection.objects.get(visit=visit).submitted_at is not None


def test_the_contact_form_shows_an_open_public_incident(team, client, manager):
    make_incident(manager, team, public=True, customer_update="Card payments fail.")
    page = client.get(reverse("contact")).content.decode()
    assert 'id="crisis-notice"' in page
    assert "Card payments fail." in page
