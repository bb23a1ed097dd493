"""The KPI volumes handed over by kpis (``kpis.budget_volumes`` registers itself from
KpisConfig.ready), the way the planning pages get their demand forecast."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

# provider(start, end) -> {team_id: {"YYYY-MM": {channel: {"resolved": n, "contacts": n}}}}
VolumeProvider = Callable[[date, date], dict]
_providers: list[VolumeProvider] = []


def register_provider(provider: VolumeProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def monthly_volumes(start: date, end: date) -> dict | None:
    """Resolved tickets and contacts per team, month and channel in [start, end), or None
    while no KPI engine is connected."""
    for provider in _providers:
        return provider(start, end)
    return None
