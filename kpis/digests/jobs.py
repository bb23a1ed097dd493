"""The digest run's job handler (csops.jobs), imported by kpis/jobs.py at start-up."""

from __future__ import annotations

from csops.jobs import Again, handler
from kpis.digests import services


@handler(services.RUN)
def send_due_digests(payload: dict) -> Again | None:
    result = services.send_due()
    return Again() if result.more else None
