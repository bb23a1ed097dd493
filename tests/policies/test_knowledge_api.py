"""The knowledge-base API: writers create and move articles, staff read and suggest, the
lifecycle is the document versions API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from policies.knowledge.models import Article, ArticleFeedback
from tests.policies.knowledge_helpers import live_article, section

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_manager_creates_an_article_and_a_director_publishes_it_through_versions(
    manager_client, director_client, rep_client
):
    body = {"title": "Gift cards", "section": section().pk, "visibility": "public",
            "body": "Gift cards never expire."}  # fmt: skip
    assert (
        rep_client.post(reverse("knowledge-api:article-list"), body, content_type=JSON).status_code
        == 403
    )
    created = manager_client.post(reverse("knowledge-api:article-list"), body, content_type=JSON)
    assert created.status_code == 201
    assert created.json()["state"] == "draft"
    article = Article.objects.get(title="Gift cards")
    kw = {"document_pk": article.document_id, "pk": created.json()["id"]}
    manager_client.post(reverse("policies-api:version-submit", kwargs=kw), content_type=JSON)
    director_client.post(reverse("policies-api:version-approve", kwargs=kw), content_type=JSON)
    director_client.post(reverse("policies-api:version-publish", kwargs=kw), content_type=JSON)
    got = rep_client.get(reverse("knowledge-api:article-list"), {"q": "gift card"}).json()
    assert [(a["title"], a["live"]) for a in got["results"]] == [("Gift cards", True)]
    assert got["results"][0]["public_url"] == f"http://testserver/help/a/{article.slug}/"


def test_invalid_input_is_a_400_with_field_errors(manager_client):
    response = manager_client.post(
        reverse("knowledge-api:article-list"), {"title": "", "visibility": "secret"},
        content_type=JSON,
    )  # fmt: skip
    assert response.status_code == 400
    assert {"title", "visibility", "section", "body"} <= set(response.json()["fields"])


def test_moving_an_article_and_reading_feedback(manager, director, manager_client, rep_client):
    article = live_article(manager, director)
    other = section("Payments", "Billing")
    url = reverse("knowledge-api:article-detail", args=[article.pk])
    response = manager_client.patch(
        url, {"section": other.pk, "visibility": "internal"}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["public_url"] is None
    ArticleFeedback.objects.create(
        article=article, helpful=False, comment="Too vague", at="2026-01-01T00:00Z"
    )
    listed = manager_client.get(reverse("knowledge-api:article-feedback-list")).json()
    assert [(f["article_title"], f["comment"]) for f in listed["results"]] == [
        ("How refunds work", "Too vague")
    ]
    assert rep_client.get(reverse("knowledge-api:article-feedback-list")).status_code == 403
