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
