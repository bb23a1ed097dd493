"""The public help center: only live public articles, search, feedback with a rate limit,
deflection suggestions, images, and no script from an article body ever runs."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from policies.knowledge import services
from policies.knowledge.models import (
    ArticleFeedback,
    ArticleImage,
    ArticleViewDay,
    Deflection,
    HelpSearch,
)
from tests.factories import UserFactory
from tests.policies.knowledge_helpers import draft_article, live_article, section

pytestmark = pytest.mark.django_db

XSS = (
    "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
    '[click](javascript:alert(3))\n\n<a href="#" onclick="alert(4)">x</a>\n\n'
    "<iframe src=//evil.example.com></iframe><svg onload=alert(5)>"
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    caches["ratelimit"].clear()


@pytest.fixture
def anon():
    return Client()


def test_home_lists_categories_with_public_live_articles_only(anon, manager, director):
    live_article(manager, director, title="Refund timing")
    live_article(manager, director, title="Staff-only refunds", visibility="internal",
                 sec=section("Internal", "Secret ops"))  # fmt: skip
    draft_article(manager, title="Unpublished", sec=section("Drafts", "Draft category"))
    page = anon.get(reverse("help:home")).content.decode()
    assert "Billing" in page
    assert 'Refunds <span class="muted">(1)</span>' in page
    assert "Secret ops" not in page
    assert "Draft category" not in page


@pytest.mark.parametrize("_case", ["internal", "draft", "retired", "missing"])
def test_only_live_public_articles_are_reachable_anonymously(_case, anon, manager, director):
    if _case == "internal":
        slug = live_article(manager, director, visibility="internal").slug
    elif _case == "draft":
        slug = draft_article(manager).document.article.slug
    elif _case == "retired":
        article = live_article(manager, director)
        from policies.services import documents

        documents.retire(article.current_version_id, by=director)
        slug = article.slug
    else:
        slug = "no-such-article"
    response = anon.get(reverse("help:article", args=[slug]))
    assert response.status_code == 404
    assert anon.get(reverse("help:search"), {"q": "refunds"}).context["results"] == []


def test_article_page_counts_a_view_and_shows_related_articles(anon, manager, director):
    first = live_article(manager, director, title="Refund timing")
    live_article(manager, director, title="Refund to a closed card")
    response = anon.get(reverse("help:article", args=[first.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "5 business days" in page
    assert 'id="related"' in page
    assert "Refund to a closed card" in page
    assert ArticleViewDay.objects.get(article=first).views == 1
    anon.get(reverse("help:article", args=[first.slug]))
    assert ArticleViewDay.objects.get(article=first).views == 2


def test_xss_payloads_in_an_article_body_are_stripped(anon, manager, director):
    article = live_article(manager, director, body=f"Hello\n\n{XSS}")
    page = anon.get(reverse("help:article", args=[article.slug])).content.decode()
    body = page.split('id="article-body">', 1)[1].split("</div>", 1)[0]
    for needle in ("<script", "onerror", "javascript:", "onclick", "<iframe", "<svg", "onload"):
        assert needle not in body.lower(), needle
    assert "Hello" in body


def test_search_finds_by_stemmed_words_and_logs_queries_without_results(anon, manager, director):
    live_article(manager, director, title="Refund timing")
    live_article(manager, director, title="Change your delivery address",
                 body="Update the shipping address before dispatch.")  # fmt: skip
    found = anon.get(reverse("help:search"), {"q": "refunded"}).context["results"]
    assert [a.title for a in found] == ["Refund timing"]
    response = anon.get(reverse("help:search"), {"q": "warranty claim"})
    assert response.context["results"] == []
    assert 'id="no-results"' in response.content.decode()
    assert list(HelpSearch.objects.order_by("pk").values_list("query", "results")) == [
        ("refunded", 1),
        ("warranty claim", 0),
    ]


def test_feedback_is_recorded_and_rate_limited_per_address(anon, manager, director, settings):
    settings.HELP_FEEDBACK_RATE = "2/m"
    article = live_article(manager, director)
    url = reverse("help:feedback", args=[article.slug])
    assert anon.post(url, {"helpful": "yes"}).status_code == 200
    response = anon.post(url, {"helpful": "no", "comment": "Says nothing about PayPal"})
    assert 'id="feedback-thanks"' in response.content.decode()
    assert anon.post(url, {"helpful": "no"}).status_code == 429
    assert list(ArticleFeedback.objects.order_by("pk").values_list("helpful", "comment")) == [
        (True, ""),
        (False, "Says nothing about PayPal"),
    ]


def test_feedback_without_an_answer_is_a_form_error(anon, manager, director):
    article = live_article(manager, director)
    response = anon.post(reverse("help:feedback", args=[article.slug]), {"comment": "hm"})
    assert response.status_code == 422
    assert ArticleFeedback.objects.count() == 0


def test_contact_form_suggestions_and_deflection(anon, manager, director):
    article = live_article(manager, director, title="Refund timing")
    response = anon.get(reverse("help:suggest"), {"subject": "where is my refund", "visit": "v1"})
    page = response.content.decode()
    assert f"/help/a/{article.slug}/?visit=v1" in page
    anon.get(reverse("help:article", args=[article.slug]), {"visit": "v1"})
    assert Deflection.objects.filter(visit="v1", submitted_at__isnull=True).count() == 1
    assert services.mark_visit_submitted("v1") == 1
    assert Deflection.objects.filter(visit="v1", submitted_at__isnull=True).count() == 0


def test_uploaded_image_is_checked_by_content_and_public_once_a_public_article_shows_it(
    anon, manager, director, client_for
):
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    client = client_for(manager)
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "photo.png"
    refused = client.post(reverse("knowledge:image-upload"), {"file": fake})
    assert refused.status_code == 422
    real = io.BytesIO(png)
    real.name = "map.png"
    response = client.post(reverse("knowledge:image-upload"), {"file": real, "alt": "Map"})
    assert response.status_code == 200
    image = response.context["image"]
    url = reverse("help:image", args=[image.key])
    # no live public article shows it yet: staff only, whoever holds the link
    refused = anon.get(url)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("login"))
    staff_copy = client.get(url)
    assert staff_copy.status_code == 200
    assert b"".join(staff_copy.streaming_content) == png
    live_article(manager, director, body=f"# Where is my parcel\n\n![Map]({url})")
    served = anon.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["Cache-Control"] == "public, max-age=3600"
    assert b"".join(served.streaming_content) == png


def test_images_of_internal_articles_and_drafts_need_a_staff_login(
    anon, manager, director, rep, client_for
):
    shown = {}
    for name in ("internal", "draft"):
        shown[name] = ArticleImage.objects.create(
            file=SimpleUploadedFile(f"{name}.png", b"\x89PNG\r\n\x1a\n"), content_type="image/png",
            uploaded_by=manager, uploaded_at=timezone.now(),
        )  # fmt: skip
    internal_url = reverse("help:image", args=[shown["internal"].key])
    draft_url = reverse("help:image", args=[shown["draft"].key])
    live_article(manager, director, title="Escalation runbook", visibility="internal",
                 sec=section("Runbooks", "Staff only"), body=f"![Go]({internal_url})")  # fmt: skip
    draft_article(manager, title="Parcel map", body=f"![Map]({draft_url})")  # public, unpublished
    no_role = client_for(UserFactory(username="pat", role=None))
    for url in (internal_url, draft_url):
        assert anon.get(url).status_code == 302
        assert no_role.get(url).status_code == 404
        seen = client_for(rep).get(url)
        assert seen.status_code == 200
        assert "no-store" in seen["Cache-Control"]
    # a missing image is 404 for everyone
    assert anon.get(reverse("help:image", args=[uuid.uuid4()])).status_code == 404
