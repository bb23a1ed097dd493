"""Start a real Celery worker (solo pool) on this run's Redis queue, against the test DB."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

from csops.celery import app

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    auth = f"{user}:{s['PASSWORD']}" if s.get("PASSWORD") else user
    return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@contextlib.contextmanager
def running_worker(*, beat: bool = False) -> Iterator[subprocess.Popen]:
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    app.control.purge()  # leftovers of earlier tests on this run's queue
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "CELERY_QUEUE": queue}
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "csops",
        "worker",
        "--pool=solo",
        "--loglevel=WARNING",
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
    ]
    if beat:
        cmd += ["--beat", "--schedule", str(ROOT / "var" / f"beat-{os.getpid()}")]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
