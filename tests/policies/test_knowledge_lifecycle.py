"""Articles go through the shared document lifecycle; the help-center snapshot follows it."""

from __future__ import annotations

import pytest

from csops.errors import Conflict, InvalidInput, NotAllowed
from policies.knowledge import selectors, services
from policies.knowledge.models import Article
from policies.models import PolicyVersion, VersionTransition
from policies.services import documents
from tests.policies.knowledge_helpers import draft_article, live_article, publish_version

pytestmark = pytest.mark.django_db


def test_a_new_article_is_a_draft_document_of_kind_article_and_not_live(manager):
    version = draft_article(manager, title="Where is my parcel?")
    article = Article.objects.get(document=version.document)
    assert (version.document.kind, version.state, version.number) == ("article", "draft", 1)
    assert (article.slug, article.is_live) == ("where-is-my-parcel", False)
    assert list(selectors.public_articles()) == []


def test_publishing_through_the_document_machinery_puts_the_article_live(manager, director):
    article = live_article(manager, director)
    assert article.is_live
    assert article.title == "How refunds work"
    assert "5 business days" in article.body_text
    assert "<h1>Refunds</h1>" in article.body_html
    assert list(selectors.public_articles()) == [article]
    states = list(
        VersionTransition.objects.filter(version=article.current_version).values_list(
            "to_state", flat=True
        )
    )
    assert states == ["draft", "in_review", "approved", "published"]


def test_a_new_version_replaces_the_snapshot_and_retiring_takes_it_offline(manager, director):
    article = live_article(manager, director)
    v2 = documents.start_draft(article.document_id, by=manager)
    documents.update_draft(
        v2.pk, by=manager, body="Refunds take 3 days now.", checklist=[], change_summary="Faster",
        effective_date=v2.effective_date, ack_required=False, ack_roles=[], ack_teams=[],
        ack_within_days=7,
    )  # fmt: skip
    publish_version(v2, author=manager, approver=director)
    article.refresh_from_db()
    assert (article.current_version_id, article.body_text) == (v2.pk, "Refunds take 3 days now.")
    documents.retire(v2.pk, by=director)
    article.refresh_from_db()
    assert article.current_version is None
    assert article.body_html == ""
    assert list(selectors.public_articles()) == []


def test_reps_cannot_write_articles_and_the_policy_form_cannot_make_one(rep, manager):
    with pytest.raises(NotAllowed):
        draft_article(rep)
    with pytest.raises(InvalidInput):
        documents.create_document(
            by=manager, title="x", kind="article", body="x", effective_date=None
        )


def test_a_manager_cannot_publish_the_director_can(manager, director):
    version = draft_article(manager)
    documents.submit(version.pk, by=manager)
    documents.approve(version.pk, by=director)
    with pytest.raises(NotAllowed):
        documents.publish(version.pk, by=manager)


def test_a_reps_suggested_edit_becomes_a_draft_authored_by_them(rep, manager, director):
    article = live_article(manager, director)
    version = services.suggest_edit(
        article.pk, by=rep, body="Refunds reach your card in 5 to 10 days.", note="Banks vary"
    )
    assert (version.state, version.number, version.author) == ("draft", 2, rep)
    assert version.change_summary == "Suggested: Banks vary"
    article.refresh_from_db()
    assert article.current_version.number == 1  # nothing changes until it is published
    with pytest.raises(Conflict):
        services.suggest_edit(article.pk, by=rep, body="Other", note="Again")
    assert PolicyVersion.objects.filter(document=article.document).count() == 2


def test_article_markdown_keeps_its_own_images_and_drops_others(manager, director):
    body = (
        "![map](/help/images/1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed/)\n\n"
        "![pixel](https://tracker.example.com/p.gif)"
    )
    article = live_article(manager, director, body=body)
    assert '<img alt="map" src="/help/images/1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed/">' in (
        article.body_html
    )
    assert "tracker.example.com" not in article.body_html
