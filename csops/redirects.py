"""The one place a user-supplied ``next`` becomes a redirect target (open-redirect guard)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The posted (or queried) ``next`` if it stays on this site, else ``default`` (a URL or
    a URL name). ``//evil.example/x``, ``https://evil.example`` and ``javascript:`` are refused."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return resolve_url(default)
