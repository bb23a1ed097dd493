from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.middleware import LoginRequiredMiddleware as _LoginRequired
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from csops.permissions import is_staff_member

# DRF answers API calls itself (401/403 with a JSON body); static files need no login;
# customers answer CSAT surveys through a signed link, without an account;
# customers write through the contact form and follow their requests in the portal;
# the help center is public.
_OPEN_PREFIXES = ("/api/", "/static/", "/survey/", "/contact/", "/portal/", "/help/")
NO_ROLE = "Your account has no staff role in csops. Ask an admin."
# Pages an authenticated account without a staff role may still reach.
_NO_ROLE_PATHS = ("/login/", "/logout/", "/healthz")


class LoginRequiredMiddleware(_LoginRequired):
    """Login required everywhere but the login page and /healthz, and the console is for staff:
    an account without a role (Rep, Manager, Director, Admin) is refused."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(_OPEN_PREFIXES):
            return None
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if response is not None:
            return response
        user = request.user
        if (
            user.is_authenticated
            and not is_staff_member(user)
            and request.path not in _NO_ROLE_PATHS
        ):
            return render(request, "403.html", {"exception": NO_ROLE}, status=403)
        return None


# Answers that hold one person's data even without a session: the API (token callers are
# only known inside DRF's views) and a customer's survey page (reached by a signed link).
_PRIVATE_PREFIXES = ("/api/", "/survey/", "/portal/")


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (with private, no-cache, max-age=0) on every answer to a
    signed-in person and on every API and survey answer, so neither a shared proxy nor the
    browser's cache or back button keeps a copy of tickets, people or figures after logout.
    Static files are answered by whitenoise before this runs and keep their long cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "no-store" in response.get("Cache-Control", ""):
            return response  # the view already said so (never_cache, a token shown once)
        if request.path.startswith(_PRIVATE_PREFIXES) or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
