"""The demand figures handed over by kpis (``kpis.forecast.provider`` registers itself from
KpisConfig.ready), the way performance reviews get their ticket figures."""

from __future__ import annotations

from collections.abc import Callable

DemandProvider = Callable[..., dict]
_providers: list[DemandProvider] = []


def register_provider(provider: DemandProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def team_demand(team_id: int, *, weeks: int, horizon: int) -> dict | None:
    """The team's forecast figures, or None while no KPI engine is connected."""
    for provider in _providers:
        return provider(team_id, weeks=weeks, horizon=horizon)
    return None
