"""The embedded default (SQLite in WAL mode, filesystem broker) in a process of its own."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_embedded_defaults_migrate_and_serve_a_ticket_flow(tmp_path: Path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL")
    }
    env |= {"CSOPS_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "csops.settings"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    migrate = subprocess.run(
        [*manage, "migrate", "-v", "0"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    flow = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "embedded_flow.py")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert flow.returncode == 0, flow.stderr
    assert flow.stdout.startswith("EMBEDDED-OK")
    with closing(sqlite3.connect(tmp_path / "csops.sqlite3")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "broker").is_dir()
    # the public reply was mailed to the requester through the file backend (README: var/mail)
    mails = [p.read_text() for p in (tmp_path / "mail").iterdir()]
    assert len(mails) == 1
    assert "To: sam@example.org" in mails[0]
    assert "Subject: [#" in mails[0]
    assert "refund issued" in mails[0]
