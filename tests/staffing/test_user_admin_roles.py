"""A role changed in the admin's user form goes through ``staffing.services.people``: the
courses the new role requires are assigned at once (not at the nightly sweep), once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csops.roles import Role
from staffing.models import TrainingRecord
from tests.staffing.builders import course, user_admin_form

pytestmark = pytest.mark.django_db


def _records(user) -> list[tuple[str, str]]:
    rows = TrainingRecord.objects.filter(user=user).select_related("course")
    return sorted((r.course.title, r.source) for r in rows)


def test_promotion_in_the_admin_assigns_the_new_roles_courses_once(rep, admin_user, client_for):
    # given a course required of managers, and one of reps that rita has not been given
    course("Coaching basics", required_for_roles=["Manager"])
    course("Refund rules", required_for_roles=["Rep"])
    client = client_for(admin_user)
    url = reverse("admin:auth_user_change", args=[rep.pk])
    # when the admin makes rita a Manager, and saves the form again
    assert client.post(url, user_admin_form(rep, roles=[Role.MANAGER])).status_code == 302
    assert client.post(url, user_admin_form(rep, roles=[Role.MANAGER])).status_code == 302
    # then the managers' course is assigned to her, once, by the admin
    assert _records(rep) == [("Coaching basics", "required")]
    assert TrainingRecord.objects.get(user=rep).assigned_by_id == admin_user.pk


def test_editing_other_fields_does_not_run_the_role_hook(rep, admin_user, client_for):
    course("Refund rules", required_for_roles=["Rep"])
    form = user_admin_form(rep, roles=[Role.REP]) | {"first_name": "Rita"}
    response = client_for(admin_user).post(reverse("admin:auth_user_change", args=[rep.pk]), form)
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.first_name == "Rita"
    assert _records(rep) == []  # left to the nightly sweep, as before


def test_deactivated_people_are_not_assigned_courses(rep, admin_user, client_for):
    course("Coaching basics", required_for_roles=["Manager"])
    form = user_admin_form(rep, roles=[Role.MANAGER], active=False)
    response = client_for(admin_user).post(reverse("admin:auth_user_change", args=[rep.pk]), form)
    assert response.status_code == 302
    assert _records(rep) == []
