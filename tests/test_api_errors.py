"""Errors the database raises on a request's values answer 400 with the one error body
(csops.api.exception_handler), never a 500; found by tests/test_api_fuzz.py."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.policies.documents_helpers import draft

pytestmark = pytest.mark.postgres


@pytest.fixture
def api(director) -> APIClient:
    client = APIClient()
    client.force_authenticate(director)
    return client


@pytest.mark.django_db
def test_a_nul_character_in_a_looked_up_name_is_a_400_and_changes_nothing(api, director):
    # given a policy (a tag is looked up by its name, which PostgreSQL text cannot hold NUL in)
    document = draft(director).document
    # when a tag name with a NUL character is sent
    response = api.patch(f"/api/v1/policies/{document.pk}/", {"tags": ["vip\x00"]}, format="json")
    # then the answer is the error body with 400, and the policy keeps its tags
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid",
        "detail": "A value cannot be stored: a number out of range or a NUL character.",
        "fields": {},
    }
    assert list(document.tags.all()) == []
