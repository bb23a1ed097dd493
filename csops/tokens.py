"""API tokens: issued and revoked by their owner (their page) or an admin, refused once old.

A token is DRF's one-per-person ``authtoken.Token``; it is valid for ``API_TOKEN_TTL_DAYS``
after it was issued, and an expired or revoked token answers 401 with a JSON error body.

Signing out revokes the person's token. The token stands for the person (it carries their
role and teams), and signing out is the one thing a person does to end their access: at a
shared desk, on leaving, or when they suspect a leak. A token that outlives it is the
defect issue 13 names. A script that must keep running gets its own account from an admin.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import APIException

EXPIRED = "The API token has expired: create a new one on your page."


def ttl() -> timedelta:
    return timedelta(days=settings.API_TOKEN_TTL_DAYS)


def expires_at(token: Token) -> datetime:
    return token.created + ttl()


def is_expired(token: Token, now: datetime | None = None) -> bool:
    return expires_at(token) <= (now or timezone.now())


def token_of(user: AbstractBaseUser) -> Token | None:
    return Token.objects.filter(user=user).first()


@transaction.atomic
def issue_token(user: AbstractBaseUser) -> Token:
    """A new token for the person, replacing (revoking) any previous one."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def revoke_token(user: AbstractBaseUser) -> bool:
    """Revoke the person's token; whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0


def revoke_on_logout(sender, request: HttpRequest, user: AbstractBaseUser | None, **kw) -> None:
    """``user_logged_out`` receiver (connected in ``CsopsConfig.ready``)."""
    if user is not None:
        revoke_token(user)


class TokenExpired(APIException):
    """401 with a ``WWW-Authenticate: Token`` challenge. Not an ``AuthenticationFailed``: DRF
    turns those into 403 when session authentication comes first, as it does here."""

    status_code = 401
    default_code = "token_expired"
    default_detail = EXPIRED
    auth_header = "Token"


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than the configured lifetime."""

    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise TokenExpired()
        return user, token
