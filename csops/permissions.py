"""Who may see and do what: the one place scope rules live.

Views, the API and the admin ask this module; templates only show what it decided.
Roles come from groups (``csops.roles``); object scope comes from teams:

- Rep: tickets of the teams they are a member of.
- Manager: tickets of the teams they manage and the teams they are a member of.
- Director and Admin: every team.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from csops.errors import NotAllowed, NotFound
from csops.roles import ROLE_ORDER, Role

AnyUser = User | AnonymousUser


def _cache(user: AnyUser) -> dict:
    """Per-request memo on the user object (a request has one user instance)."""
    return user.__dict__.setdefault("_csops_permissions", {})


def role_of(user: AnyUser) -> Role | None:
    """The user's highest role, cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return None
    cache = _cache(user)
    if "role" not in cache:
        if user.is_superuser:
            cache["role"] = Role.ADMIN
        else:
            names = set(user.groups.values_list("name", flat=True))
            cache["role"] = next((r for r in ROLE_ORDER if r.value in names), None)
    return cache["role"]


def is_staff_member(user: AnyUser) -> bool:
    return role_of(user) is not None


def has_role(user: AnyUser, minimum: Role) -> bool:
    """True if the user's role is ``minimum`` or higher."""
    role = role_of(user)
    return role is not None and ROLE_ORDER.index(role) <= ROLE_ORDER.index(minimum)


def team_scope(user: AnyUser) -> frozenset[int] | None:
    """Team ids whose tickets the user may see and work; ``None`` means every team."""
    role = role_of(user)
    if role is None:
        return frozenset()
    if role in (Role.DIRECTOR, Role.ADMIN):
        return None
    cache = _cache(user)
    if "teams" not in cache:
        staff = cast(User, user)  # a role implies an authenticated user
        ids = set(staff.teams.values_list("pk", flat=True))
        if role is Role.MANAGER:
            ids |= set(staff.managed_teams.values_list("pk", flat=True))
        cache["teams"] = frozenset(ids)
    return cache["teams"]


def managed_team_scope(user: AnyUser) -> frozenset[int] | None:
    """Teams the user manages (escalations, records, reviews); ``None`` means every team."""
    role = role_of(user)
    if role in (Role.DIRECTOR, Role.ADMIN):
        return None
    if role is Role.MANAGER:
        return frozenset(cast(User, user).managed_teams.values_list("pk", flat=True))
    return frozenset()


def in_scope(scope: frozenset[int] | None, team_id: int | None) -> bool:
    return scope is None or team_id in scope


def scope_tickets(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Restrict a Ticket queryset to what the user may see."""
    scope = team_scope(user)
    if scope is None:
        return qs
    return qs.filter(team_id__in=scope)


def scope_teams(user: AnyUser, qs: QuerySet) -> QuerySet:
    scope = team_scope(user)
    return qs if scope is None else qs.filter(pk__in=scope)


def can_work_ticket(user: AnyUser, ticket) -> bool:
    return is_staff_member(user) and in_scope(team_scope(user), ticket.team_id)


def can_work_team(user: AnyUser, team_id: int) -> bool:
    return is_staff_member(user) and in_scope(team_scope(user), team_id)


def ensure_can_work_ticket(user: AnyUser, ticket) -> None:
    if not can_work_ticket(user, ticket):
        raise NotAllowed("You do not work this ticket's team.")


def ensure_can_work_team(user: AnyUser, team_id: int) -> None:
    if not can_work_team(user, team_id):
        raise NotAllowed("You do not work this team's queue.")


def access_ticket(user: AnyUser, pk: int, *, for_update: bool = False):
    """The ticket if the user may see it; otherwise NotFound (its existence is not leaked).

    ``for_update`` locks the row: call it inside ``transaction.atomic``.
    """
    from tickets.models import Ticket

    qs = Ticket.objects.all()
    if for_update:
        qs = qs.select_for_update()
    ticket = scope_tickets(user, qs).filter(pk=pk).first()
    if ticket is None:
        raise NotFound(f"Ticket #{pk} does not exist or is not in your teams.")
    return ticket


def can_use_admin(user: AnyUser) -> bool:
    return role_of(user) is Role.ADMIN


# --- Policies, procedures and macros (policies app) -------------------------------------
# Reps read published (and formerly published, retired) versions only; managers write and
# submit drafts and maintain macros; directors (or a document's named approver) approve;
# directors publish and retire; the audit history is for directors and admins.


def can_edit_policies(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def can_read_unpublished(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def can_publish_policies(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def can_approve_version(user: AnyUser, version) -> bool:
    """Directors, or the person the document names as approver (who need not be a director)."""
    if not is_staff_member(user):
        return False
    return has_role(user, Role.DIRECTOR) or version.document.approver_id == user.pk


def can_view_policy_audit(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def can_manage_macros(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def ensure_policy_role(allowed: bool, what: str) -> None:
    if not allowed:
        raise NotAllowed(f"Your role may not {what}.")


def scope_policy_versions(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Restrict a PolicyVersion queryset to what the user may read."""
    if not is_staff_member(user):
        return qs.none()
    if can_read_unpublished(user):
        return qs
    return qs.filter(state__in=("published", "retired"))  # what is or was published


def scope_policy_documents(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Documents the user may see: reps see those with a published version."""
    if not is_staff_member(user):
        return qs.none()
    if can_read_unpublished(user):
        return qs
    return qs.filter(versions__state="published").distinct()


def access_policy_document(user: AnyUser, pk: int):
    from policies.models import PolicyDocument

    document = scope_policy_documents(user, PolicyDocument.objects.all()).filter(pk=pk).first()
    if document is None:
        raise NotFound(f"Policy #{pk} does not exist or is not published.")
    return document


def access_policy_version(user: AnyUser, pk: int, *, for_update: bool = False):
    """The version if the user may read it, else NotFound. ``for_update`` locks the row."""
    from policies.models import PolicyVersion

    qs = PolicyVersion.objects.select_related("document")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    version = scope_policy_versions(user, qs).filter(pk=pk).first()
    if version is None:
        raise NotFound(f"Policy version #{pk} does not exist or is not published.")
    return version


# --- SLA policies and business calendars (policies app) ---------------------------------
# Every staff member reads them; only directors (and admins) create and edit them.


def can_manage_sla(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def ensure_can_manage_sla(user: AnyUser) -> None:
    if not can_manage_sla(user):
        raise NotAllowed("Only directors may change SLA policies and business calendars.")


# --- Staff development (staffing app): training, certifications, onboarding, QA, reviews --
# A rep sees their own records and reviews; a manager those of the members of the teams they
# manage (and their own); directors and admins everyone's. Writing a person's records (assign,
# verify, certify, review) is for the managers of one of that person's teams, and directors.
# The catalogs (courses, certifications, scorecards, onboarding templates) are read by every
# staff member and edited by managers and up.


def staff_member_ids(user: AnyUser) -> frozenset[int] | None:
    """Ids of the people whose development records the user may see; ``None`` means all."""
    role = role_of(user)
    if role is None:
        return frozenset()
    if role in (Role.DIRECTOR, Role.ADMIN):
        return None
    ids: set[int] = {cast(User, user).pk}
    if role is Role.MANAGER:
        ids |= set(managed_member_ids(user) or ())
    return frozenset(ids)


def managed_member_ids(user: AnyUser) -> frozenset[int] | None:
    """Ids of the people whose records the user may write; ``None`` means everyone."""
    scope = managed_team_scope(user)
    if scope is None:
        return None
    cache = _cache(user)
    if "managed_members" not in cache:
        cache["managed_members"] = frozenset(
            User.objects.filter(teams__in=scope).values_list("pk", flat=True)
        )
    return cache["managed_members"]


def scope_staff_records(user: AnyUser, qs: QuerySet, field: str = "user") -> QuerySet:
    """Restrict a queryset of per-person records (``field`` names the person) to the user's."""
    ids = staff_member_ids(user)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def can_manage_person(user: AnyUser, person_id: int) -> bool:
    ids = managed_member_ids(user)
    return is_staff_member(user) and (ids is None or person_id in ids)


def ensure_can_manage_person(user: AnyUser, person_id: int) -> None:
    if not can_manage_person(user, person_id):
        raise NotAllowed("You do not manage this person's team.")


def ensure_can_manage_team(user: AnyUser, team_id: int) -> None:
    if not in_scope(managed_team_scope(user), team_id) or not is_staff_member(user):
        raise NotAllowed("You do not manage this team.")


def can_edit_staff_catalog(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def ensure_can_edit_staff_catalog(user: AnyUser) -> None:
    if not can_edit_staff_catalog(user):
        raise NotAllowed("Only managers and directors edit the training catalog.")


# --- Escalations and incidents (tickets app) ----------------------------------------------
# Reps escalate tickets they work. An escalation is handled by the managers of its target
# team (or directors/admins). Escalation rules are for directors. Incidents are declared and
# handled by managers of the incident's team (or directors/admins); a ticket linked to one
# must be a ticket the manager may see.


def can_handle_team(user: AnyUser, team_id: int | None) -> bool:
    """Manager of the team, or a director/admin."""
    return has_role(user, Role.MANAGER) and in_scope(managed_team_scope(user), team_id)


def ensure_can_handle_team(user: AnyUser, team_id: int | None, what: str) -> None:
    if not can_handle_team(user, team_id):
        raise NotAllowed(f"Only the team's managers or a director may {what}.")


def can_view_escalation_board(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def can_manage_escalation_rules(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def scope_escalations(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Escalations the user handles (target team managed) or whose ticket they work."""
    from django.db.models import Q

    if not is_staff_member(user):
        return qs.none()
    managed, worked = managed_team_scope(user), team_scope(user)
    if managed is None or worked is None:
        return qs
    return qs.filter(Q(to_team_id__in=managed) | Q(ticket__team_id__in=worked))


def access_escalation(user: AnyUser, pk: int, *, for_update: bool = False):
    """The escalation if the user may see it, else NotFound. ``for_update`` locks its row."""
    from tickets.models import Escalation

    qs = Escalation.objects.select_related("ticket", "to_team", "from_team")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    escalation = scope_escalations(user, qs).filter(pk=pk).first()
    if escalation is None:
        raise NotFound(f"Escalation #{pk} does not exist or is not yours to see.")
    return escalation


def can_handle_incidents(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def scope_incidents(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Incidents of the teams the user manages (every incident for directors/admins)."""
    if not can_handle_incidents(user):
        return qs.none()
    scope = managed_team_scope(user)
    return qs if scope is None else qs.filter(team_id__in=scope)


def access_incident(user: AnyUser, pk: int, *, for_update: bool = False):
    """The incident if the user may handle it; a rep gets NotAllowed, others NotFound."""
    from tickets.models import Incident

    if not can_handle_incidents(user):
        raise NotAllowed("Only managers and directors handle incidents.")
    qs = Incident.objects.select_related("team")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    incident = scope_incidents(user, qs).filter(pk=pk).first()
    if incident is None:
        raise NotFound(f"Incident #{pk} does not exist or is not in your teams.")
    return incident


# --- KPI dashboards and goals (kpis app) ------------------------------------------------
# Managers read the dashboards of the teams they work (team_scope), directors and admins of
# every team; reps have no dashboard. Only directors (and admins) set goals and rebuild KPIs.


def can_view_dashboard(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def can_set_goals(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def ensure_can_view_dashboard(user: AnyUser) -> None:
    if not can_view_dashboard(user):
        raise NotAllowed("The KPI dashboards are for managers and directors.")


def ensure_can_set_goals(user: AnyUser) -> None:
    if not can_set_goals(user):
        raise NotAllowed("Only directors set goals.")


def scope_goals(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Goals the user may read: directors all; managers their teams' and department-wide."""
    if not can_view_dashboard(user):
        return qs.none()
    scope = team_scope(user)
    if scope is None:
        return qs
    return qs.filter(team__isnull=True) | qs.filter(team_id__in=scope)
