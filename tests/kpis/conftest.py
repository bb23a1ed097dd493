"""Fixtures of the KPI tests."""

from __future__ import annotations

import pytest

from kpis import zone


@pytest.fixture(autouse=True)
def _fresh_reporting_zone():
    """The reporting zone is cached for 30 s: a zone an earlier test's (rolled back)
    organisation settings held must not decide this test's days."""
    zone.clear_cache()
    yield
    zone.clear_cache()
