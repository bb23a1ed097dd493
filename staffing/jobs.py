"""Job handlers of the staffing app (csops.jobs), found by csops's autodiscovery."""

from staffing.hiring import jobs as hiring_jobs  # noqa: F401 (the candidate data purge)
