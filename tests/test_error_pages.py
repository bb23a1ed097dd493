"""Error pages wear the app's layout and offer a way on: log in where that would help."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_unknown_page_for_the_anonymous_offers_to_log_in():
    response = Client().get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-status="404"' in page
    assert 'href="/login/?next=/no/such/page/"' in page
    assert 'class="topbar"' in page  # the app's layout, not Django's bare page


def test_unknown_page_for_staff_leads_home(rep_client):
    response = rep_client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Go to your home page" in response.content.decode()


def test_api_docs_send_the_anonymous_to_log_in():
    response = Client().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/api/docs/"


def test_api_docs_render_for_staff(rep_client):
    assert rep_client.get("/api/docs/").status_code == 200


def test_an_account_without_a_role_gets_the_403_page():
    client = Client()
    client.force_login(UserFactory(username="nobody"))
    response = client.get("/policies/documents/")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-status="403"' in page
    assert "no staff role" in page
