from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware as _LoginRequired

# DRF answers unauthenticated API calls itself (401/403 with a JSON body), and the
# public survey and health endpoints need no login.
_OPEN_PREFIXES = ("/api/", "/static/")


class LoginRequiredMiddleware(_LoginRequired):
    """Django's login-required default, leaving the JSON API to DRF's authentication."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(_OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
