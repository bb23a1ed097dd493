"""The policy forms are grouped and ordered the way they are filled in, and the version page
shows no empty card."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from tests.policies.documents_helpers import draft, published

pytestmark = pytest.mark.django_db

WHAT = ["title", "kind", "categories", "tags"]
CONTENT = ["body", "checklist", "change_summary"]
ACK = ["ack_required", "ack_roles", "ack_teams", "ack_within_days"]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=True):
        yield


def _groups(page: str) -> list[tuple[str, list[str]]]:
    """(legend, field names in order) of each fieldset of the page's form."""
    groups = []
    for legend, body in re.findall(
        r'<fieldset class="form-group" id="fieldset-[a-z]+">'
        r"<legend>([^<]+)</legend>(.*?)</fieldset>",
        page,
        re.S,
    ):
        groups.append((legend, re.findall(r'<div class="field field-([a-z_]+)">', body)))
    return groups


def test_new_policy_form_is_grouped_in_the_order_it_is_filled(manager_client):
    # when a manager opens the new-policy form
    page = manager_client.get(reverse("policies:document-new")).content.decode()
    # then title comes first, in groups of what, content, review and acknowledgment
    assert _groups(page) == [
        ("What", WHAT),
        ("Content", CONTENT),
        ("Review and approval", ["approver", "allow_self_approval", "effective_date"]),
        ("Acknowledgment", ACK),
    ]
    # and no field sits outside a group
    assert len(re.findall(r'<div class="field field-', page)) == 14


def test_edit_form_groups_the_document_fields(manager_client, manager):
    version = draft(manager)
    url = reverse("policies:document-edit", args=[version.document_id])
    page = manager_client.get(url).content.decode()
    assert _groups(page) == [
        ("What", WHAT),
        ("Review and approval", ["owner", "approver", "allow_self_approval"]),
    ]


def test_draft_form_groups_the_version_fields(manager_client, manager):
    version = draft(manager)
    page = manager_client.get(reverse("policies:version-edit", args=[version.pk])).content.decode()
    assert _groups(page) == [
        ("Content", CONTENT),
        ("Review and approval", ["effective_date"]),
        ("Acknowledgment", ACK),
    ]


def test_new_policy_form_still_saves_and_shows_errors_in_their_group(manager_client):
    data = {
        "title": "Complaints protocol",
        "kind": "protocol",
        "body": "",
        "effective_date": "2026-03-02",
        "ack_within_days": "5",
    }
    response = manager_client.post(reverse("policies:document-new"), data)
    assert response.status_code == 422
    content = _groups(response.content.decode())[1]
    assert content == ("Content", CONTENT)
    assert "The body is empty: write the policy text." in response.content.decode()
    response = manager_client.post(reverse("policies:document-new"), data | {"body": "Listen."})
    assert response.status_code == 302


def _cards(page: str) -> list[str]:
    """The inner text of every card on the page, tags removed."""
    cards = re.findall(r'<(article|section|div) class="card[^"]*"[^>]*>(.*?)</\1>', page, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", body).strip() for _, body in cards]


def test_rep_sees_a_published_version_without_an_empty_actions_card(rep_client, manager, director):
    version = published(manager, director)
    page = rep_client.get(reverse("policies:version-detail", args=[version.pk])).content.decode()
    assert 'id="actions"' not in page
    assert 'id="policy-body"' in page
    assert [c for c in _cards(page) if not c] == []


def test_manager_sees_a_published_version_without_an_empty_actions_card(
    manager_client, manager, director
):
    # a manager edits policies but neither publishes nor retires them
    version = published(manager, director)
    page = manager_client.get(
        reverse("policies:version-detail", args=[version.pk])
    ).content.decode()
    assert 'id="actions"' not in page
    assert [c for c in _cards(page) if not c] == []


def test_author_sees_a_draft_with_its_actions_and_no_empty_card(manager_client, manager):
    version = draft(manager)
    url = reverse("policies:version-detail", args=[version.pk])
    page = manager_client.get(url).content.decode()
    assert 'id="edit-draft"' in page
    assert 'id="submit-review"' in page
    assert [c for c in _cards(page) if not c] == []


def test_director_sees_the_publish_actions_card(director_client, manager, director):
    version = published(manager, director)
    page = director_client.get(
        reverse("policies:version-detail", args=[version.pk])
    ).content.decode()
    assert 'id="actions"' in page
    assert 'id="retire"' in page
