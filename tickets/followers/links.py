"""The signed links of following: confirm (expiring, bound to one incident and one address)
and unfollow (one follower, valid as long as the row lives). Each has its own salt, so a
portal or survey token never opens them, nor one the other."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from csops.errors import DomainError

CONFIRM_SALT = "csops.incident.follow"
UNFOLLOW_SALT = "csops.incident.unfollow"


class FollowLinkInvalid(DomainError):
    code = "follow_link_invalid"
    status = 400


class FollowLinkExpired(DomainError):
    code = "follow_link_expired"
    status = 410


def _absolute(name: str, token: str) -> str:
    return settings.CSOPS_PUBLIC_URL.rstrip("/") + reverse(name, kwargs={"token": token})


def confirm_link(incident_id: int, email: str) -> str:
    token = signing.TimestampSigner(salt=CONFIRM_SALT).sign_object({"i": incident_id, "e": email})
    return _absolute("incident-follow-confirm", token)


def read_confirm_token(token: str) -> tuple[int, str]:
    """(incident id, address) of a confirm link; raises FollowLinkExpired / FollowLinkInvalid."""
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        payload = signer.unsign_object(token, max_age=settings.FOLLOW_LINK_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise FollowLinkExpired(
            "This link has expired. Ask for a new one on the contact page."
        ) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        raise FollowLinkInvalid("This link is not valid.") from None
    incident_id = payload.get("i") if isinstance(payload, dict) else None
    email = payload.get("e") if isinstance(payload, dict) else None
    if not isinstance(incident_id, int) or not isinstance(email, str) or "@" not in email:
        raise FollowLinkInvalid("This link is not valid.")
    return incident_id, email


def unfollow_link(follower_id: int) -> str:
    token = signing.Signer(salt=UNFOLLOW_SALT).sign(str(follower_id))
    return _absolute("incident-unfollow", token)


def read_unfollow_token(token: str) -> int:
    try:
        value = signing.Signer(salt=UNFOLLOW_SALT).unsign(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        raise FollowLinkInvalid("This unsubscribe link is not valid.") from None
    if not value.isdigit():
        raise FollowLinkInvalid("This unsubscribe link is not valid.")
    return int(value)
