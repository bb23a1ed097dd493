"""Remember configuration reads for the length of one batch of work.

A worker that ingests a batch of mail (or any loop over many similar writes) reads the same
rows again and again: the SLA policy versions in force, a calendar version, the organisation's
settings, the webhook subscriptions, the team mailboxes. Inside ``with memo.batch():`` a
function decorated with ``@memo.per_batch`` runs once per distinct argument tuple and its
result is reused; outside a batch it runs every time, so ordinary requests always read fresh
rows. A batch is short (one IMAP fetch, seconds), and its callers accept that a setting
changed during it takes effect at the next batch.

Results are shared objects: callers must not mutate them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_cache: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("csops_memo", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Memoise ``per_batch`` functions until the block ends (nested blocks share the outer
    one's memory)."""
    if _cache.get() is not None:
        yield
        return
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def per_batch(fn: Callable[P, R]) -> Callable[P, R]:
    """Inside ``batch()``, call ``fn`` once per distinct (hashable) positional arguments."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        cache = _cache.get()
        if cache is None or kwargs:
            return fn(*args, **kwargs)
        key = (fn.__module__, fn.__qualname__, *args)
        try:
            return cache[key]
        except KeyError:
            value = cache[key] = fn(*args, **kwargs)  # kwargs: none (see above)
            return value

    return wrapper
