"""Who may see and do what: the one place scope rules live.

Views, the API and the admin ask this package; templates only show what it decided.
Roles come from groups (``csops.roles``); object scope comes from teams:

- Rep: tickets of the teams they are a member of.
- Manager: tickets of the teams they manage and the teams they are a member of.
- Director and Admin: every team.

One module per domain; every public name is re-exported here, so callers write
``from csops import permissions`` and ``permissions.access_ticket(...)``:

- ``roles``: role of a user, team scope (``team_scope``, ``managed_team_scope``), the admin.
- ``tickets``: tickets and team queues.
- ``policies``: policy documents, versions and macros.
- ``sla``: SLA policies and business calendars.
- ``staffing``: staff development records and catalogs.
- ``escalations``: escalations and incidents.
- ``kpis``: KPI dashboards and goals.
"""

from __future__ import annotations

from csops.permissions.escalations import (
    access_escalation,
    access_incident,
    can_handle_incidents,
    can_handle_team,
    can_manage_escalation_rules,
    can_view_escalation_board,
    ensure_can_handle_team,
    scope_escalations,
    scope_incidents,
)
from csops.permissions.kpis import (
    can_set_goals,
    can_view_dashboard,
    ensure_can_set_goals,
    ensure_can_view_dashboard,
    scope_goals,
)
from csops.permissions.policies import (
    access_policy_document,
    access_policy_version,
    can_approve_version,
    can_edit_policies,
    can_manage_macros,
    can_publish_policies,
    can_read_unpublished,
    can_view_policy_audit,
    ensure_policy_role,
    scope_policy_documents,
    scope_policy_versions,
)
from csops.permissions.roles import (
    AnyUser,
    can_use_admin,
    has_role,
    in_scope,
    is_staff_member,
    managed_team_scope,
    one_in_scope,
    role_of,
    team_scope,
)
from csops.permissions.sla import can_manage_sla, ensure_can_manage_sla
from csops.permissions.staffing import (
    can_edit_staff_catalog,
    can_manage_person,
    ensure_can_edit_staff_catalog,
    ensure_can_manage_person,
    ensure_can_manage_team,
    managed_member_ids,
    scope_staff_records,
    staff_member_ids,
)
from csops.permissions.tickets import (
    access_ticket,
    can_work_team,
    can_work_ticket,
    ensure_can_work_team,
    ensure_can_work_ticket,
    scope_teams,
    scope_tickets,
)

__all__ = [
    "AnyUser",
    "access_escalation",
    "access_incident",
    "access_policy_document",
    "access_policy_version",
    "access_ticket",
    "can_approve_version",
    "can_edit_policies",
    "can_edit_staff_catalog",
    "can_handle_incidents",
    "can_handle_team",
    "can_manage_escalation_rules",
    "can_manage_macros",
    "can_manage_person",
    "can_manage_sla",
    "can_publish_policies",
    "can_read_unpublished",
    "can_set_goals",
    "can_use_admin",
    "can_view_dashboard",
    "can_view_escalation_board",
    "can_view_policy_audit",
    "can_work_team",
    "can_work_ticket",
    "ensure_can_edit_staff_catalog",
    "ensure_can_handle_team",
    "ensure_can_manage_person",
    "ensure_can_manage_sla",
    "ensure_can_manage_team",
    "ensure_can_set_goals",
    "ensure_can_view_dashboard",
    "ensure_can_work_team",
    "ensure_can_work_ticket",
    "ensure_policy_role",
    "has_role",
    "in_scope",
    "is_staff_member",
    "managed_member_ids",
    "managed_team_scope",
    "one_in_scope",
    "role_of",
    "scope_escalations",
    "scope_goals",
    "scope_incidents",
    "scope_policy_documents",
    "scope_policy_versions",
    "scope_staff_records",
    "scope_teams",
    "scope_tickets",
    "staff_member_ids",
    "team_scope",
]
