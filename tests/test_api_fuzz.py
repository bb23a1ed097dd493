"""Schemathesis over the whole OpenAPI schema, in-process on the WSGI app, as the demo
department's director and as one of its reps: no answer may be a 5xx, break its documented
schema (body or content type) or carry an undocumented status.

The database holds the demo department (``seed_demo``: every feature's records), so lists
answer with real rows. A walk first reads every GET route with real ids (the first row of the
list above each path id), so each object's documented shape meets stored values (blank
strings, missing relations). Then each operation gets a few positive and a few negative
generated cases, and one with a path id a few positive cases on that real object too, all
derandomized (the same cases every run). Failures are gathered over all operations and
reported together.
"""

from __future__ import annotations

import contextlib
import os
import re

import pytest
import schemathesis
from django.apps import apps as django_apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from csops import tokens
from csops.roles import sync_groups

pytestmark = pytest.mark.postgres

# Positive cases per operation (and per operation on a real object), half as many negative:
# about 360 cases a persona, 720 in all, about two minutes here.
# CSOPS_FUZZ_EXAMPLES=20 digs deeper on demand (same seed, more cases).
EXAMPLES = int(os.environ.get("CSOPS_FUZZ_EXAMPLES", "2"))
NEGATIVE_EXAMPLES = max(1, EXAMPLES // 2)
POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
PATH_PARAMETER = re.compile(r"\{(\w+)\}")


@pytest.fixture
def demo_department(db):
    # The role groups come from a data migration; a transactional test's flush removes them.
    sync_groups(django_apps, None)
    call_command("seed_demo", "--tickets", "40", "--until", "2026-11-30T12:00:00Z", verbosity=0)


@pytest.fixture
def _keep_test_connection():
    # The WSGI handler closes the connection after each request, and with it the test's
    # transaction; Django's test client disconnects the same receiver.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _failure(case, exc: FailureGroup, label: str) -> str:
    return f"{case.method} {case.formatted_path} ({label}):\n{exc}"


class RealIds:
    """Real path ids: each takes the first row of the list above it (``/tickets/`` for the
    ``{id}`` of ``/tickets/{id}/claim/``), as this persona sees that list."""

    def __init__(self, schema, headers: dict[str, str]) -> None:
        self.headers = headers
        self.lists = {
            op.path: op
            for op in (r.ok() for r in schema.get_all_operations())
            if op.method.upper() == "GET"
        }
        self.first_ids: dict[str, object] = {}

    def for_path(self, path: str) -> dict[str, object] | None:
        """Values for the path's ids, or None when a list above it is missing or empty."""
        values: dict[str, object] = {}
        for match in PATH_PARAMETER.finditer(path):
            list_path = path[: match.start()]
            if list_path not in self.lists:
                return None
            value = self._first_id(self.lists[list_path].Case(path_parameters=dict(values)))
            if value is None:
                return None
            values[match.group(1)] = value
        return values

    def _first_id(self, case) -> object:
        key = case.formatted_path
        if key not in self.first_ids:
            response = case.call(headers=self.headers)
            rows = response.json() if response.status_code == 200 else []
            rows = rows.get("results", []) if isinstance(rows, dict) else rows
            self.first_ids[key] = rows[0].get("id") if rows else None
        return self.first_ids[key]


def _walk(schema, ids: RealIds, headers: dict[str, str]) -> tuple[list[str], int]:
    """GET every route once with real ids and validate the answer."""
    failures, calls = [], 0
    for path in sorted(ids.lists):
        values = ids.for_path(path)
        if values is None:
            continue
        case = ids.lists[path].Case(path_parameters=values)
        calls += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as exc:
            failures.append(_failure(case, exc, "walk"))
    return failures, calls


def _fuzz(operation, mode, headers: dict[str, str], **fixed) -> tuple[str | None, int]:
    failure: list[str] = []
    calls = 0
    label = f"{mode.value}, real ids" if fixed else mode.value

    @settings(
        max_examples=EXAMPLES if mode == POSITIVE else NEGATIVE_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode, **fixed))
    def run(case):
        nonlocal calls
        if failure:
            return
        calls += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as exc:
            failure.append(_failure(case, exc, label))

    with contextlib.suppress(Unsatisfiable):  # nothing in this operation can be made invalid
        run()
    return (failure[0] if failure else None), calls


@pytest.mark.usefixtures("_keep_test_connection")
@pytest.mark.parametrize("persona", ["director", "rep"])
def test_every_operation_answers_as_documented(demo_department, persona):
    token = tokens.issue_token(User.objects.get(username=persona))
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), headers=headers
    )
    ids = RealIds(schema, headers)
    failures, walked = _walk(schema, ids, headers)
    generated = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        runs = [(POSITIVE, {}), (NEGATIVE, {})]
        # and valid input against real objects, so actions reach their rules, not a 404
        real = ids.for_path(operation.path) if "{" in operation.path else None
        if real:
            runs.append((POSITIVE, {"path_parameters": real}))
        for mode, fixed in runs:
            failure, calls = _fuzz(operation, mode, headers, **fixed)
            generated += calls
            if failure:
                failures.append(failure)
    print(f"{persona}: {walked} walked, {generated} generated")  # noqa: T201 - the run's size
    assert failures == [], "\n\n".join(failures)
    # and the run was not vacuous: every GET route without a path id was read, at least
    operations = [r.ok() for r in schema.get_all_operations()]
    lists = [op for op in operations if op.method.upper() == "GET" and "{" not in op.path]
    assert walked >= len(lists) > 10
    assert generated >= 2 * len(operations)
