"""API tokens expire (API_TOKEN_TTL_DAYS), and their owner, an admin or signing out revokes
them; an expired token answers 401 with a JSON body. Password validators refuse common and
all-digit passwords."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from csops import tokens

pytestmark = pytest.mark.django_db
LIST = "/api/v1/tickets/"
EXPIRED_BODY = {
    "error": "token_expired",
    "detail": "The API token has expired: create a new one on your page.",
    "fields": {},
}
INVALID_BODY = {"error": "authentication_failed", "detail": "Invalid token.", "fields": {}}


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_works_until_its_lifetime_then_answers_401_json(rep):
    with time_machine.travel("2026-03-01 09:00Z", tick=False):
        token = tokens.issue_token(rep)
    with time_machine.travel("2026-03-31 08:59Z", tick=False):
        assert _api(token.key).get(LIST).status_code == 200
    with time_machine.travel("2026-03-31 09:00Z", tick=False):
        response = _api(token.key).get(LIST)
    assert (response.status_code, response.json()) == (401, EXPIRED_BODY)
    assert response["WWW-Authenticate"] == "Token"


def test_the_lifetime_comes_from_settings(rep, settings):
    settings.API_TOKEN_TTL_DAYS = 1
    with time_machine.travel("2026-03-01 09:00Z", tick=False):
        token = tokens.issue_token(rep)
    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        assert _api(token.key).get(LIST).status_code == 401


def test_own_page_creates_a_token_shown_once_and_revokes_it(rep_client, rep):
    old = tokens.issue_token(rep)
    page = rep_client.get(f"/staff/people/{rep.pk}/").content.decode()
    assert 'data-token-state="active"' in page
    assert old.key not in page  # the key is never shown again

    created = rep_client.post("/staff/me/api-token/")
    assert created.status_code == 200
    new = Token.objects.get(user=rep)
    assert new.key != old.key
    assert f'<code id="api-token-key">{new.key}</code>' in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert _api(old.key).get(LIST).json() == INVALID_BODY
    assert _api(new.key).get(LIST).status_code == 200

    revoked = rep_client.post("/staff/me/api-token/revoke/")
    assert (revoked.status_code, revoked["Location"]) == (302, f"/staff/people/{rep.pk}/")
    assert Token.objects.filter(user=rep).count() == 0
    assert _api(new.key).get(LIST).json() == INVALID_BODY
    page = rep_client.get(f"/staff/people/{rep.pk}/").content.decode()
    assert 'data-token-state="none"' in page


def test_someone_elses_page_shows_no_token_section(manager_client, rep):
    tokens.issue_token(rep)
    page = manager_client.get(f"/staff/people/{rep.pk}/").content.decode()
    assert 'id="api-token"' not in page


def test_signing_out_revokes_the_token(rep_client, rep, rep2):
    token = tokens.issue_token(rep)
    other = tokens.issue_token(rep2)
    assert rep_client.post("/logout/").status_code == 302
    assert _api(token.key).get(LIST).json() == INVALID_BODY
    assert _api(other.key).get(LIST).status_code == 200  # only the person signing out


def test_admin_revokes_tokens_from_the_admin(client_for, admin_user, rep):
    token = tokens.issue_token(rep)
    client = client_for(admin_user)
    listing = client.get("/admin/authtoken/tokenproxy/")
    assert listing.status_code == 200
    assert "expires" in listing.content.decode()
    # the admin's rows are keyed by user: delete is the revocation
    response = client.post(f"/admin/authtoken/tokenproxy/{rep.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=rep).exists()
    assert _api(token.key).get(LIST).json() == INVALID_BODY


@pytest.mark.parametrize(
    ("_case", "password", "message"),
    [
        ("common", "password123", "This password is too common."),
        ("numeric", "40917365201", "This password is entirely numeric."),
    ],
)
def test_common_and_numeric_passwords_are_refused(_case, password, message):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert message in exc.value.messages
