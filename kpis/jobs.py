"""Job handlers of the kpis app (csops.jobs), found at start-up by csops' autodiscovery."""

from kpis.digests import jobs as digest_jobs  # noqa: F401 (registers the digest run)
