"""One entry point, rules held by their apps: ``csops.permissions`` reaches every app's rules."""

from __future__ import annotations

import types

import pytest
from django.core.exceptions import ImproperlyConfigured

import kpis.digests.permissions
import kpis.permissions
import policies.knowledge.permissions
import policies.permissions
import staffing.budget.permissions
import staffing.hiring.permissions
import staffing.permissions
import staffing.planning.permissions
import staffing.schedules.permissions
import tickets.chat.permissions
import tickets.permissions
import tickets.routing.permissions
import tickets.saved_views.permissions
import tickets.webhooks.permissions
from csops import permissions

APP_RULES = (
    staffing.permissions,
    staffing.planning.permissions,
    staffing.budget.permissions,
    staffing.schedules.permissions,
    staffing.hiring.permissions,
    policies.permissions,
    policies.knowledge.permissions,
    tickets.permissions,
    tickets.routing.permissions,
    tickets.saved_views.permissions,
    tickets.webhooks.permissions,  # a capability's sub-package holds its own rules
    tickets.chat.permissions,
    kpis.permissions,
    kpis.digests.permissions,
)


@pytest.mark.parametrize("module", APP_RULES, ids=lambda m: m.__name__)
def test_every_rule_of_an_app_is_reached_through_the_entry_point(module):
    assert module.__all__
    for name in module.__all__:
        assert getattr(permissions, name) is getattr(module, name)


def test_the_registered_rules_are_the_apps_rules_and_nothing_else():
    owners = permissions.registered()
    assert set(owners.values()) == {m.__name__ for m in APP_RULES}
    assert sorted(owners) == sorted(name for m in APP_RULES for name in m.__all__)
    assert permissions.registered()["access_ticket"] == "tickets.permissions"
    assert permissions.registered()["scope_teams"] == "staffing.permissions"


def test_an_unknown_rule_is_an_attribute_error_naming_the_registration_step():
    with pytest.raises(AttributeError, match="registers it from AppConfig.ready"):
        permissions.scope_nothing  # noqa: B018 - the lookup is what is tested
    assert not hasattr(permissions, "scope_nothing")


def test_registering_the_same_module_again_changes_nothing():
    before = permissions.registered()
    permissions.register(tickets.permissions)
    assert permissions.registered() == before


def test_a_rule_name_taken_by_another_module_is_refused_and_nothing_is_registered():
    # given: a module that redefines a tickets rule and brings a new one
    rogue = types.ModuleType("rogue.permissions")
    rogue.scope_tickets = lambda user, qs: qs
    rogue.scope_rogue = lambda user, qs: qs
    rogue.__all__ = ["scope_rogue", "scope_tickets"]
    # then: refused, and neither name was taken over
    with pytest.raises(ImproperlyConfigured, match="'scope_tickets' of rogue.permissions"):
        permissions.register(rogue)
    assert permissions.scope_tickets is tickets.permissions.scope_tickets
    assert "scope_rogue" not in permissions.registered()


def test_a_building_block_cannot_be_shadowed():
    rogue = types.ModuleType("rogue.permissions")
    rogue.role_of = lambda user: None
    rogue.__all__ = ["role_of"]
    with pytest.raises(ImproperlyConfigured, match="'role_of' of rogue.permissions"):
        permissions.register(rogue)
