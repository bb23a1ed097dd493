"""Shared steps of the KPI engine tests: act at an instant, then let the engine catch up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import time_machine

from kpis import rollup, sweep

T = TypeVar("T")


def at(instant: str, action: Callable[[], T]) -> T:
    """Run ``action`` with the clock frozen at ``instant`` (ISO, UTC)."""
    with time_machine.travel(datetime.fromisoformat(instant), tick=False):
        return action()


def catch_up() -> None:
    """What the worker does: recompute every ticket behind its log, fold dirty buckets."""
    sweep.sweep(full=True)
    rollup.fold_dirty()
