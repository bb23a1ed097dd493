"""A gunicorn worker whose database connection was terminated answers its next request
(issue 13, section 6): CONN_HEALTH_CHECKS replaces a kept connection the server dropped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def gunicorn_url(tmp_path):
    """One sync gunicorn worker on the test database, keeping its connection (CONN_MAX_AGE)."""
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": _test_database_url(),
        "CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "csops.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = tmp_path / "gunicorn.log"  # a file, not a pipe: a full pipe would block the server
    process = subprocess.Popen(
        [str(gunicorn), "csops.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--no-control-socket", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(process, url, log)
        yield url
    finally:  # never leave a server behind, whatever failed
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_answering(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            # The first answer imports every view: slow on a busy machine.
            urllib.request.urlopen(f"{url}/login/", timeout=20)
            return
        except OSError:  # refused while gunicorn starts (URLError), or timed out
            if process.poll() is not None:
                raise RuntimeError(log.read_text()) from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer within 60 s:\n{log.read_text()}") from None
            time.sleep(0.2)


def _get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _terminate_other_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_request_after_the_workers_connection_was_terminated_answers_200(rep, gunicorn_url):
    token = Token.objects.create(user=rep).key
    assert _get(f"{gunicorn_url}/api/v1/tickets/", token) == 200  # the worker keeps its conn

    terminated = _terminate_other_backends()

    assert terminated >= 1
    assert _get(f"{gunicorn_url}/api/v1/tickets/", token) == 200
    assert _get(f"{gunicorn_url}/api/v1/tickets/", token) == 200
