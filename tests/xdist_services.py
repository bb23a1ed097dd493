"""Per-worker services under pytest-xdist (a plugin: ``-p tests.xdist_services`` in pyproject).

Each worker gets its own Redis database and Celery queue, so one worker's ``cache.clear()``
(FLUSHDB), rate-limit counters or queue purge never touch the other's, and a Celery worker a
test starts never takes the other's jobs. The test database already gets a per-worker suffix
from pytest-django. This runs when the plugin is imported: before pytest-django reads Django's
settings, which it does before any conftest. Workers started by tests inherit the environment.
"""

from __future__ import annotations

import os

from tests.services import per_worker_redis_url

_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw"):
    for _name in ("REDIS_URL", "CELERY_BROKER_URL"):
        if os.environ.get(_name, "").startswith("redis://"):
            os.environ[_name] = per_worker_redis_url(os.environ[_name], int(_WORKER[2:]))
    os.environ["CELERY_QUEUE"] = f"{os.environ.get('CELERY_QUEUE', 'csops-test')}-{_WORKER}"
