"""A policy body longer than a tsvector holds is searched by its first part, not a 500
(issue 13 §4: "string is too long for tsvector")."""

from __future__ import annotations

import pytest

from tests.policies.documents_helpers import published
from tests.tickets.test_search_index import distinct_words

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_a_2mb_policy_body_is_found_by_its_first_words(manager, director, manager_client):
    # given a published policy whose body is 2 MB of distinct words
    published(manager, director, body=distinct_words(2_000_000))
    # when someone searches the policies (the API and the page share the filter)
    api = manager_client.get("/api/v1/policies/?q=quokka")
    page = manager_client.get("/policies/documents/?q=marmalade")
    # then the policy is found by its first words
    assert api.status_code == 200
    assert [d["title"] for d in api.json()["results"]] == ["Refund procedure"]
    assert page.status_code == 200
    assert b"Refund procedure" in page.content
