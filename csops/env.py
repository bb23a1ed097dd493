"""Typed readers for settings taken from the environment. Bad values fail loudly."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    # An exported-but-empty variable means "use the default" (CI may export DATABASE_URL="").
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Keys that were ever written down in this repository or its docs: public, so never a secret.
KNOWN_DEFAULT_SECRET_KEYS = frozenset(
    {
        "change-me-in-production",
        "csops-embedded-insecure-key-change-me",
        "build-only",
    }
)
MIN_SECRET_KEY_LENGTH = 50  # Django's own check (security.W009) asks for at least 50


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` must not sign anything in production, or None when it will do."""
    if not key:
        return "SECRET_KEY is not set"
    if key in KNOWN_DEFAULT_SECRET_KEYS or "change-me" in key.lower():
        return "SECRET_KEY is a published default"
    if key.startswith("django-insecure-"):
        return "SECRET_KEY is Django's generated development key"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY has {len(key)} characters (at least {MIN_SECRET_KEY_LENGTH} needed)"
    if len(set(key)) < 5:
        return "SECRET_KEY has fewer than 5 distinct characters"
    return None


def env_secret_key(*, embedded: bool, embedded_default: str) -> str:
    """SECRET_KEY from the environment. The embedded (single-machine demo) mode may fall back
    to ``embedded_default``; any other mode refuses to start with a missing, short or public
    key, since survey links, sessions and password resets are signed with it."""
    key = env_str("SECRET_KEY")
    if embedded:
        return key or embedded_default
    problem = secret_key_problem(key)
    if problem:
        raise ImproperlyConfigured(
            f"{problem}. Outside the embedded mode (CSOPS_EMBEDDED=0) csops needs a random "
            f"SECRET_KEY of at least {MIN_SECRET_KEY_LENGTH} characters, e.g. "
            '`python -c "import secrets; print(secrets.token_urlsafe(50))"` (see .env.example).'
        )
    return key


def env_header_pair(name: str) -> tuple[str, str] | None:
    """A ``HEADER,value`` pair such as ``HTTP_X_FORWARDED_PROTO,https``, or None when unset."""
    items = env_list(name, [])
    if not items:
        return None
    if len(items) != 2 or not items[0].startswith("HTTP_"):
        raise ImproperlyConfigured(
            f"{name} must be 'HTTP_HEADER_NAME,value' (e.g. HTTP_X_FORWARDED_PROTO,https)"
        )
    return items[0], items[1]
