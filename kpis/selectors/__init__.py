"""Reads of the KPI engine for the dashboards and the API (scoped by user: directors every
team, managers their teams; reps none). Plain dataclasses out; no ticket-table scans."""

from kpis.selectors.drill import drilldown
from kpis.selectors.filters import GRAINS, DashboardFilter, Stat, teams_for
from kpis.selectors.series import SERIES_METRICS, Point, breakdown, timeseries
from kpis.selectors.status import Freshness, RebuildProgress, freshness, rebuild_progress
from kpis.selectors.summary import Backlog, SlaTile, Summary, Tile, summary

__all__ = [
    "GRAINS",
    "SERIES_METRICS",
    "Backlog",
    "DashboardFilter",
    "Freshness",
    "Point",
    "RebuildProgress",
    "SlaTile",
    "Stat",
    "Summary",
    "Tile",
    "breakdown",
    "drilldown",
    "freshness",
    "rebuild_progress",
    "summary",
    "teams_for",
    "timeseries",
]
