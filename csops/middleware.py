from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware as _LoginRequired
from django.http import HttpResponseForbidden

from csops.permissions import is_staff_member

# DRF answers API calls itself (401/403 with a JSON body); static files need no login;
# customers answer CSAT surveys through a signed link, without an account.
_OPEN_PREFIXES = ("/api/", "/static/", "/survey/")
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
            return HttpResponseForbidden("Your account has no staff role in csops. Ask an admin.")
        return None
