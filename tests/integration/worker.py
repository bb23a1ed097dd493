"""Start a real Celery worker on this run's Redis queue, against the test DB."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
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


def worker_command(*, beat: bool, pool: str, schedule_dir: str) -> list[str]:
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    cmd = [sys.executable, "-m", "celery", "-A", "csops", "worker", f"--pool={pool}"]
    if pool == "prefork":
        cmd.append("--concurrency=1")
    cmd += ["--loglevel=WARNING", "-Q", queue, "--without-gossip", "--without-mingle"]
    if beat:
        cmd += ["--beat", "--schedule", str(Path(schedule_dir) / "beat-schedule")]
    return cmd


@contextlib.contextmanager
def running_worker(
    *, beat: bool = False, pool: str = "solo", env: dict[str, str] | None = None, purge: bool = True
) -> Iterator[subprocess.Popen]:
    """A worker (``pool`` solo or prefork with one child), optionally with beat; ``env``
    overrides variables of the worker's environment (e.g. its broker)."""
    if purge:
        app.control.purge()  # leftovers of earlier tests on this run's queue
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the test's files (tests/conftest.py)
        **(env or {}),
    }
    with (
        tempfile.TemporaryDirectory(prefix="csops-worker-") as schedule_dir,
        open(Path(schedule_dir) / "worker.log", "wb") as log,  # a file: a full pipe would block
    ):
        proc = subprocess.Popen(
            worker_command(beat=beat, pool=pool, schedule_dir=schedule_dir),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        proc.log_path = log.name  # type: ignore[attr-defined]
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
