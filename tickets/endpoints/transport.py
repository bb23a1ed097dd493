"""One HTTP POST with a short timeout (stdlib urllib): never follows a redirect, never
raises. The outcome says what the attempt log keeps."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0913
        return None  # a 3xx is the receiver's answer, recorded as a failure


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    start = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - start) * 1000)

    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(65536)
            status = response.status
    except urllib.error.HTTPError as exc:
        return Outcome(exc.code, took(), f"HTTP {exc.code} {exc.reason}"[:500])
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        return Outcome(None, took(), f"{type(reason).__name__}: {reason}"[:500])
    if not 200 <= status < 300:
        return Outcome(status, took(), f"HTTP {status}")
    return Outcome(status, took())
