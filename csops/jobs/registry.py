"""Handlers by job kind. Each app registers its own in ``<app>/jobs.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[[dict[str, Any]], "Again | None"]
_handlers: dict[str, Handler] = {}


@dataclass(frozen=True)
class Again:
    """Returned by a handler that did part of its work: run the job again after ``seconds``
    (not counted as a failed attempt)."""

    seconds: float = 0


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if _handlers.get(kind, fn) is not fn:
            raise ValueError(f"job kind {kind!r} has two handlers")
        _handlers[kind] = fn
        return fn

    return register


def lookup(kind: str) -> Handler | None:
    return _handlers.get(kind)
