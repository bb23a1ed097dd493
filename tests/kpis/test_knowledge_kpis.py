"""Knowledge KPIs: views, helpful ratio, tickets linked per article, searches without
result and deflected contacts over the dashboard's range."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kpis.selectors.knowledge import knowledge_figures
from policies.knowledge import services
from tests.policies.knowledge_helpers import live_article

pytestmark = pytest.mark.django_db


def test_figures_count_what_readers_did_in_the_range(manager, director, rep):
    refund = live_article(manager, director, title="Refund timing")
    other = live_article(manager, director, title="Reset your password")
    today = timezone.localdate()
    services.record_view(refund)
    services.record_view(refund)
    services.record_view(other)
    services.record_view(refund, day=today - timedelta(days=60))  # outside the range
    services.add_feedback(refund, helpful=True)
    services.add_feedback(refund, helpful=True)
    services.add_feedback(other, helpful=False, comment="No")
    services.log_search("gift wrap", 0, "help")
    services.log_search("gift wrap", 0, "help")
    services.log_search("refund", 1, "help")
    services.link_to_ticket(refund.pk, ticket_id=11, by=rep)
    services.link_to_ticket(refund.pk, ticket_id=12, by=rep)
    services.record_deflection_read("v1", refund)
    services.record_deflection_read("v1", other)
    services.record_deflection_read("v2", refund)
    services.mark_visit_submitted("v2")

    k = knowledge_figures(today - timedelta(days=29), today)

    assert (k.views, k.helpful, k.rated, k.searches, k.searches_empty, k.deflected) == (
        3, 2, 3, 3, 2, 1,
    )  # fmt: skip
    assert k.top_viewed == [("Refund timing", 2), ("Reset your password", 1)]
    assert k.most_linked == [("Refund timing", 2)]
    assert k.gaps == [("gift wrap", 2)]


def test_the_dashboard_fragment_shows_the_tiles(manager, director, director_client):
    article = live_article(manager, director)
    services.add_feedback(article, helpful=True)
    services.add_feedback(article, helpful=False)
    html = director_client.get(reverse("kpis:knowledge")).content.decode()
    assert 'id="kb-helpful"' in html
    assert "50 %" in html
