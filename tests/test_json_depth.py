"""A JSON body nested too deep is a 400 with the API's error body (issue 13 §4)."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib import admin
from rest_framework.test import APIClient

from csops.parsers import MAX_JSON_DEPTH, BoundedJSONFormField, nesting_depth
from staffing.models import Course
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


def test_deep_json_in_an_admin_form_is_a_form_error(admin_user, client_for):
    response = client_for(admin_user).post(
        "/admin/staffing/course/add/",
        {
            "title": "Deep",
            "hours": "1",
            "delivery": "online",
            "due_within_days": "30",
            "required_for_roles": nested(50_000),
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {
        "required_for_roles": [f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels."]
    }
    assert Course.objects.count() == 0


def test_every_admin_that_edits_json_bounds_its_depth(admin_user, rf):
    request = rf.get("/")
    request.user = admin_user
    unbounded = []
    for model, model_admin in admin.site._registry.items():
        if not (
            model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        ):
            continue
        form = model_admin.get_form(request)
        for name, field in form.base_fields.items():
            if isinstance(field, forms.JSONField) and not isinstance(field, BoundedJSONFormField):
                unbounded.append(f"{model._meta.label}.{name}")
    assert unbounded == []
