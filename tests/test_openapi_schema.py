"""The OpenAPI schema generates without a single warning (``--fail-on-warn``), validates, and
names each choice set once (csops.settings ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]``)."""

from __future__ import annotations

import re

import yaml
from django.core.management import call_command


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
