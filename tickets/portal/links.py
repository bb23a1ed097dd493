"""Magic links of the customer portal: signed, expiring, bound to one email address.

A link carries a ``TimestampSigner`` token (salted for the portal only, so a survey token or
any other signed value never opens it) holding the lower-cased address and, optionally, the
request to show first. ``PORTAL_LINK_MAX_AGE_SECONDS`` after it was made it is refused.
Following it opens a portal session for that address alone (``open_session``): the session
holds the address, never a customer id, and every portal read filters by it, so a link for
one address can never show another address's requests.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from csops.errors import DomainError

SALT = "csops.portal.link"
SESSION_KEY = "portal_email"


class PortalLinkInvalid(DomainError):
    code = "portal_link_invalid"
    status = 400


class PortalLinkExpired(DomainError):
    code = "portal_link_expired"
    status = 410


def normalize(email: str) -> str:
    return email.strip().lower()


def make_token(email: str, *, ticket_id: int | None = None) -> str:
    payload: dict[str, object] = {"e": normalize(email)}
    if ticket_id is not None:
        payload["t"] = ticket_id
    return signing.TimestampSigner(salt=SALT).sign_object(payload)


def magic_link(email: str, *, ticket_id: int | None = None) -> str:
    """The absolute URL to mail (``CSOPS_PUBLIC_URL`` + the portal's link page)."""
    token = make_token(email, ticket_id=ticket_id)
    return settings.CSOPS_PUBLIC_URL.rstrip("/") + reverse("portal:link", kwargs={"token": token})


def read_token(token: str) -> tuple[str, int | None]:
    """The address a token was made for and the request it points at (or None); raises
    ``PortalLinkExpired`` / ``PortalLinkInvalid``."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload = signer.unsign_object(token, max_age=settings.PORTAL_LINK_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise PortalLinkExpired(
            "This sign-in link has expired. Enter your email address to get a new one."
        ) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        raise PortalLinkInvalid(
            "This sign-in link is not valid. Enter your email address to get a new one."
        ) from None
    email = payload.get("e") if isinstance(payload, dict) else None
    ticket_id = payload.get("t") if isinstance(payload, dict) else None
    if not isinstance(email, str) or "@" not in email:
        raise PortalLinkInvalid("This sign-in link is not valid.")
    if ticket_id is not None and not isinstance(ticket_id, int):
        raise PortalLinkInvalid("This sign-in link is not valid.")
    return email, ticket_id


def open_session(request: HttpRequest, email: str) -> None:
    """Scope the browser's session to ``email`` (a new session key: no fixation). A staff
    sign-in in the same browser is left as it is; the portal reads only ``SESSION_KEY``."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = normalize(email)
    request.session.set_expiry(settings.PORTAL_SESSION_SECONDS)


def session_email(request: HttpRequest) -> str | None:
    email = request.session.get(SESSION_KEY)
    return email if isinstance(email, str) and email else None


def close_session(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
