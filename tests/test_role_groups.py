"""The role groups hold the permissions of every model after a migrate, also of models added
after the last migration that resynced them (csops.apps: post_migrate)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from csops.roles import Role

pytestmark = pytest.mark.django_db


def test_the_admin_role_has_every_permission_of_the_newest_models():
    admin = Group.objects.get(name=Role.ADMIN.value)
    assert admin.permissions.count() == Permission.objects.count()
    codenames = set(admin.permissions.values_list("content_type__app_label", "codename"))
    assert ("csops", "view_job") in codenames
    assert ("tickets", "view_outboundmessage") in codenames
