from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_right_password_lands_on_home(rep):
    response = Client().post("/login/", {"username": rep.username, "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_wrong_password_shows_the_form_again(rep):
    response = Client().post("/login/", {"username": rep.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_account_out(rep, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": rep.username, "password": "guess"})
    locked = client.post("/login/", {"username": rep.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
