"""Rate limits of public pages, per client address, through django-ratelimit.

``over_limit`` fails open: if the cache behind the counters (Redis) is unreachable the
request goes through and the outage is logged, so a Redis restart never takes a public page
down with it.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

log = logging.getLogger(__name__)


def over_limit(request: HttpRequest, *, group: str, rate: str) -> bool:
    """Count this request against ``rate`` (e.g. "10/m") for its address; True once over."""
    try:
        return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)
    except Exception:  # noqa: BLE001 - any cache failure: let the request through
        log.warning("rate limit cache unavailable; %s not limited", group, exc_info=True)
        return False
