"""Permission matrix row: the dashboard's knowledge tiles (who sees the dashboard)."""

from __future__ import annotations

from tests.kpis.matrix_dashboard import READ
from tests.matrix import Row

ROWS = {"kpis:knowledge": Row("get", READ)}
