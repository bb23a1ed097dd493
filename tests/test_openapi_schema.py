"""The OpenAPI schema generates without a single warning (``--fail-on-warn``), validates,
names each choice set once (csops.settings ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]``),
documents the error answers of every operation with the one error body, and lets stored blanks
and missing relations through (``csops.api_schema.AutoSchema``). tests/test_api_fuzz.py checks
the answers against it."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.management import call_command

ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    out = tmp_path_factory.mktemp("schema") / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    return yaml.safe_load(out.read_text())


def test_schema_generates_without_warnings_and_validates(tmp_path):
    # when the schema is generated the way CI and `manage.py spectacular` do, warnings fatal
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    # then no enum got a hashed name (what a naming collision falls back to)
    names = schema["components"]["schemas"]
    hashed = sorted(n for n in names if re.fullmatch(r".*[0-9a-f]{3}Enum", n))
    assert hashed == []
    # and the shared choice sets have one component each
    assert names["TicketStatusEnum"]["enum"] == [
        "new",
        "open",
        "pending",
        "on_hold",
        "solved",
        "closed",
    ]
    assert names["PriorityEnum"]["enum"] == ["low", "normal", "high", "urgent"]
    assert names["PolicyVersionStateEnum"]["enum"] == [
        "draft",
        "in_review",
        "approved",
        "published",
        "retired",
    ]
    for gone in ("SetPriorityEnum", "FromStateEnum", "ToStateEnum"):
        assert gone not in names
    # and the incident and escalation-rule routes are in it
    paths = schema["paths"]
    assert set(paths["/api/v1/escalation-rules/"]) == {"get", "post"}
    assert set(paths["/api/v1/escalation-rules/{id}/"]) == {"get", "patch", "delete"}
    assert set(paths["/api/v1/incidents/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/incidents/{id}/tickets/{ticket_id}/"]) == {"delete"}
    assert "PatchedIncidentEditInput" in names


@pytest.mark.parametrize(
    ("_case", "path", "method", "errors"),
    [
        ("list: filters, page", "/api/v1/tickets/", "get", {"400", "401", "403", "404"}),
        ("unfiltered list: page", "/api/v1/acknowledgments/", "get", {"400", "401", "403", "404"}),
        ("object", "/api/v1/training-records/{id}/", "get", {"401", "403", "404"}),
        ("computed read", "/api/v1/kpis/summary/", "get", {"400", "401", "403"}),
        ("create", "/api/v1/courses/", "post", {"400", "401", "403", "409", "415", "422"}),
        (
            "action",
            "/api/v1/qa-reviews/{id}/resolve/",
            "post",
            {"400", "401", "403", "404", "409", "415", "422"},
        ),
        (
            "replace",
            "/api/v1/calendars/{id}/",
            "put",
            {"400", "401", "403", "404", "409", "415", "422"},
        ),
        ("delete", "/api/v1/goals/{id}/", "delete", {"401", "403", "404", "409", "422"}),
    ],
)
def test_operations_document_their_error_answers_with_one_body(schema, _case, path, method, errors):
    # given the generated schema, when an operation's responses are read
    responses = schema["paths"][path][method]["responses"]
    # then the error answers it can give are documented, each with the one error body
    assert {code for code in responses if code >= "400"} == errors
    for code in errors:
        assert responses[code]["content"] == ERROR_BODY
        assert responses[code]["description"]
    # and the error body is the exception handler's
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"error", "detail", "fields"}


def test_every_operation_documents_401_403_and_every_path_id_404(schema):
    missing = [
        f"{method.upper()} {path}: {sorted(expected - set(operation['responses']))}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for expected in [{"401", "403", "404"} if "{" in path else {"401", "403"}]
        if not expected <= set(operation["responses"])
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("_case", "component", "field", "stored"),
    [
        ("blank URL", "TrainingRecord", "evidence_url", ""),
        ("no approver", "Document", "approver", None),
        ("unowned escalation", "Escalation", "owner", None),
        ("goal for all teams", "Goal", "team_name", None),
        ("unresolved review", "QAReview", "resolution", ""),
        ("rule keeping priority", "EscalationRule", "raise_priority_to", ""),
    ],
)
def test_read_only_fields_admit_what_the_column_stores(schema, _case, component, field, stored):
    prop = schema["components"]["schemas"][component]["properties"][field]
    if stored is None:
        assert prop["nullable"] is True
        # and it does not borrow a text that calls it required (a username's help text)
        assert "Required" not in prop.get("description", "")
    else:
        # "" is one of the alternatives: the blank enum or a string of length 0
        blanks = [{"$ref": "#/components/schemas/BlankEnum"}, {"type": "string", "maxLength": 0}]
        assert any(alternative in blanks for alternative in prop["oneOf"])
        assert "format" not in prop
