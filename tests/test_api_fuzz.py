"""Schemathesis over the whole OpenAPI schema, in-process on the WSGI app, as the demo
department's director and as one of its reps: no answer may be a 5xx, break its documented
schema (body or content type) or carry an undocumented status.

The database holds the demo department (``seed_demo``: every feature's records), so lists
answer with real rows. A walk first reads every GET route with real ids (the first row of the
list above each path id), so each object's documented shape meets stored values (blank
strings, missing relations). Then each operation gets a few positive and a few negative
generated cases, derandomized (the same cases every run). Failures are gathered over all
operations and reported together.
"""

from __future__ import annotations

import contextlib
import os
import re

import pytest
import schemathesis
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

pytestmark = pytest.mark.postgres

# x 2 modes x 96 operations x 2 personas: about 700 generated cases, two minutes here.
# CSOPS_FUZZ_EXAMPLES=20 digs deeper on demand (same seed, more cases).
EXAMPLES_PER_MODE = int(os.environ.get("CSOPS_FUZZ_EXAMPLES", "2"))
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
PATH_PARAMETER = re.compile(r"\{(\w+)\}")


@pytest.fixture
def demo_department(db):
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


def _walk(schema, headers: dict[str, str]) -> tuple[list[str], int]:
    """GET every route with real ids: a path id takes the first row of the list above it."""
    failures, calls = [], 0
    first_ids: dict[str, object] = {}

    def first_id(list_path: str, case) -> object:
        if list_path not in first_ids:
            response = case.call(headers=headers)
            rows = response.json() if response.status_code == 200 else []
            rows = rows.get("results", []) if isinstance(rows, dict) else rows
            first_ids[list_path] = rows[0].get("id") if rows else None
        return first_ids[list_path]

    operations = {
        op.path: op
        for op in (r.ok() for r in schema.get_all_operations())
        if op.method.upper() == "GET"
    }
    for path in sorted(operations):
        values: dict[str, object] = {}
        for match in PATH_PARAMETER.finditer(path):
            list_path = path[: match.start()]
            if list_path not in operations:
                break
            concrete = list_path.format(**values)
            value = first_id(concrete, operations[list_path].Case(path_parameters=values))
            if value is None:
                break
            values[match.group(1)] = value
        else:
            case = operations[path].Case(path_parameters=values)
            calls += 1
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except FailureGroup as exc:
                failures.append(_failure(case, exc, "walk"))
    return failures, calls


def _fuzz(operation, mode, headers: dict[str, str]) -> tuple[str | None, int]:
    failure: list[str] = []
    calls = 0

    @settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode))
    def run(case):
        nonlocal calls
        if failure:
            return
        calls += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as exc:
            failure.append(_failure(case, exc, mode.value))

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
    failures, walked = _walk(schema, headers)
    generated = 0
    for result in schema.get_all_operations():
        for mode in MODES:
            failure, calls = _fuzz(result.ok(), mode, headers)
            generated += calls
            if failure:
                failures.append(failure)
    print(f"{persona}: {walked} walked, {generated} generated")  # noqa: T201 - the run's size
    assert failures == [], "\n\n".join(failures)
    # and the run was not vacuous: every GET route without a path id was read, at least
    operations = [r.ok() for r in schema.get_all_operations()]
    lists = [op for op in operations if op.method.upper() == "GET" and "{" not in op.path]
    assert walked >= len(lists) > 10
    assert generated >= min(3, EXAMPLES_PER_MODE) * len(operations)
