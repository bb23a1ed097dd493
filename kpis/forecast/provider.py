"""The demand figures handed to staffing's planning pages (registered in KpisConfig.ready)."""

from __future__ import annotations

from kpis.forecast.figures import team_forecast


def planning_demand(team_id: int, *, weeks: int, horizon: int) -> dict:
    return team_forecast(team_id, weeks=weeks, horizon=horizon)
