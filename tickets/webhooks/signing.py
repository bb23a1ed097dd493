"""Webhook signatures (pure): HMAC-SHA256, keyed with the subscription's secret, over
``"<timestamp>.<body>"`` where the timestamp is the X-Csops-Timestamp header (Unix seconds)
and the body the exact request bytes. Sent as ``X-Csops-Signature: sha256=<hex>``.

A receiver recomputes it, compares in constant time and refuses a timestamp older than a few
minutes (a replayed request carries an old one, and changing it breaks the signature)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Csops-Signature"
TIMESTAMP_HEADER = "X-Csops-Timestamp"
DELIVERY_HEADER = "X-Csops-Delivery"
EVENT_HEADER = "X-Csops-Event"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str, *, timestamp: str, body: bytes, signature_header: str, now: float,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:  # fmt: skip
    """What a receiver does: a fresh timestamp and a matching signature."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - ts) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, ts, body), signature_header or "")
