"""Hiring's job handler (csops.jobs), imported by staffing/jobs.py at start-up."""

from __future__ import annotations

from csops.jobs import Again, handler
from staffing.hiring import purge


@handler(purge.PURGE)
def purge_candidate_data(payload: dict) -> Again | None:
    """One batch of the personal-data purge; runs again at once while some remain."""
    return Again() if purge.purge_batch()[1] else None
