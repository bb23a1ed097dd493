"""A JSON body nested too deep is a 400 with the API's error body (issue 13 §4)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from csops.parsers import MAX_JSON_DEPTH, nesting_depth
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("_case", "value", "depth"),
    [
        ("scalar", 3, 0),
        ("empty list", [], 1),
        ("object in list", [{"a": 1}], 2),
        ("uneven", {"a": [1, [2]], "b": {"c": {"d": []}}}, 4),
    ],
)
def test_nesting_depth_counts_containers(_case, value, depth):
    assert nesting_depth(value) == depth


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 900, 50_000])
def test_deeply_nested_body_is_400_json(director, team, depth):
    api = APIClient()
    api.force_authenticate(director)
    body = '{"subject": ' + nested(depth) + "}"
    response = api.post("/api/v1/tickets/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "error": "parse_error",
        "detail": f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.",
        "fields": {},
    }
    assert Ticket.objects.count() == 0


def test_a_body_within_the_depth_limit_reaches_the_serializer(director, team):
    api = APIClient()
    api.force_authenticate(director)
    body = '{"subject": ' + nested(MAX_JSON_DEPTH - 1) + "}"
    response = api.post("/api/v1/tickets/", body, content_type="application/json")
    assert response.status_code == 400
    assert "subject" in response.json()["fields"]
