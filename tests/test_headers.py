"""Security headers on pages and API answers (issue 13, section 3 "Headers")."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def _assert_no_store(response) -> None:
    cache_control = {item.strip() for item in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache"} <= cache_control


def test_page_of_signed_in_rep_has_csp_without_unsafe_inline_and_no_store(rep_client):
    response = rep_client.get("/tickets/")

    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    _assert_no_store(response)
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_page_scripts_and_styles_are_files_or_carry_the_nonce(rep_client):
    html = rep_client.get("/tickets/").content.decode()

    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert inline_scripts == []
    assert "<style" not in html
    assert re.search(r"\son[a-z]+=", html) is None  # no inline event handlers


def test_api_answer_with_token_has_no_store_and_csp(rep):
    token = Token.objects.create(user=rep)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.get("/api/v1/tickets/")

    assert response.status_code == 200
    _assert_no_store(response)
    assert "'unsafe-inline'" not in _directives(response["Content-Security-Policy"])["script-src"]


def test_api_refusal_has_no_store():
    response = Client().get("/api/v1/tickets/")

    assert response.status_code in (401, 403)
    _assert_no_store(response)


def test_login_page_of_anonymous_visitor_has_csp_and_permissions_policy():
    response = Client().get("/login/")

    assert response.status_code == 200
    assert "'unsafe-inline'" not in _directives(response["Content-Security-Policy"])["script-src"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_swagger_ui_inline_code_carries_the_header_nonce(director_client):
    response = director_client.get("/api/docs/")

    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    nonce = next(v for v in csp["script-src"] if v.startswith("'nonce-"))[len("'nonce-") : -1]
    assert f"'nonce-{nonce}'" in csp["style-src"]
    html = response.content.decode()
    assert f'<script nonce="{nonce}">' in html
    assert f'<style nonce="{nonce}">' in html


@pytest.mark.parametrize(
    ("_case", "env", "header"),
    [
        ("hsts_and_redirect_off_by_default", {}, None),
        (
            "hsts_on_behind_tls_proxy",
            {"SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True},
            "max-age=31536000; includeSubDomains",
        ),
    ],
)
def test_hsts_follows_settings_behind_a_tls_proxy(settings, rep_client, _case, env, header):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for name, value in env.items():
        setattr(settings, name, value)

    response = rep_client.get("/tickets/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response.get("Strict-Transport-Security") == header


def test_ssl_redirect_spares_healthz_and_trusts_the_proxy_header(settings, rep_client):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    plain = rep_client.get("/tickets/")
    proxied = rep_client.get("/tickets/", HTTP_X_FORWARDED_PROTO="https")
    health = Client().get("/healthz")

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/tickets/"
    assert proxied.status_code == 200
    assert health.status_code in (200, 503)  # answered, not redirected
