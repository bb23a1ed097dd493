"""Every ``next`` goes through csops.redirects.safe_next: it never leaves the site."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from csops.redirects import safe_next
from staffing.models import TrainingRecord
from tests.browser.conftest import PASSWORD
from tests.policies.documents_helpers import published
from tests.staffing import builders

EVIL = ("//evil.example/phish", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
        "http:///evil.example")  # fmt: skip


@pytest.mark.parametrize("nxt", EVIL)
def test_safe_next_refuses_other_hosts_and_schemes(nxt):
    request = RequestFactory().post("/x/", {"next": nxt})
    assert safe_next(request, "/staff/courses/") == "/staff/courses/"


def test_safe_next_keeps_a_local_path_and_resolves_a_url_name():
    request = RequestFactory().post("/x/", {"next": "/staff/teams/3/?tab=a"})
    assert safe_next(request, "home") == "/staff/teams/3/?tab=a"
    assert safe_next(RequestFactory().post("/x/"), "home") == "/"


@pytest.mark.django_db
@time_machine.travel("2026-03-10 09:00Z", tick=False)
@pytest.mark.parametrize("nxt", EVIL)
def test_course_assign_with_a_foreign_next_stays_on_site(manager_client, team, rep, nxt):
    course = builders.course()
    body = {"course": course.pk, "team": team.pk, "due_date": "2026-04-01", "next": nxt}
    response = manager_client.post("/staff/courses/assign/", body)
    assert (response.status_code, response["Location"]) == (302, "/staff/courses/")
    assert TrainingRecord.objects.filter(course=course).count() == 1
    htmx = manager_client.post("/staff/courses/assign/", body, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == "/staff/courses/"


@pytest.mark.django_db
def test_acknowledge_with_a_foreign_next_goes_home(rep_client, manager, director, team):
    version = published(manager, director, ack_required=True, ack_teams=[team])
    url = reverse("policies:version-acknowledge", args=[version.pk])
    response = rep_client.post(url, {"next": "//evil.example/phish"})
    assert (response.status_code, response["Location"]) == (302, "/")


@pytest.mark.django_db
def test_login_with_a_foreign_next_lands_on_home(rep):
    """The login page's ``next`` is Django's LoginView, which runs the same check."""
    body = {"username": rep.username, "password": PASSWORD, "next": "//evil.example/phish"}
    response = Client().post("/login/", body)
    assert (response.status_code, response["Location"]) == (302, "/")
