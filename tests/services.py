"""Probes for the external services the suite can use."""

from __future__ import annotations

import functools
import os
import socket
from urllib.parse import urlparse


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@functools.cache
def redis_reachable() -> bool:
    url = urlparse(redis_url())
    try:
        with socket.create_connection(
            (url.hostname or "127.0.0.1", url.port or 6379), timeout=1
        ) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def per_worker_redis_url(url: str, index: int) -> str:
    """``url`` moved to the database ``index`` places after its own (Redis has 16)."""
    parsed = urlparse(url)
    base = int(parsed.path.lstrip("/") or 0)
    return parsed._replace(path=f"/{(base + index) % 16}").geturl()
