"""Skill rules: which skills new tickets need, by team, category, language, channel, priority
or customer organisation. A team's rules: its managers and directors; rules for every team:
directors. Each change is kept in the rule's history (simple_history, with the skills)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet

from csops import permissions
from csops.errors import InvalidInput, NotFound
from staffing.models import Skill, Team
from tickets.models import Channel, Priority
from tickets.routing.models import SkillRule

CONDITIONS = ("team", "category", "language", "channel", "priority", "organization")


def visible_rules(user: User) -> QuerySet[SkillRule]:
    """Every rule for directors; for managers, their teams' rules and the rules for every
    team (read-only to them)."""
    permissions.ensure_can_view_routing(user)
    qs = SkillRule.objects.select_related("team", "category", "organization").prefetch_related(
        "skills"
    )
    scope = permissions.managed_team_scope(user)
    if scope is not None:
        qs = qs.filter(Q(team__isnull=True) | Q(team__in=scope))
    return qs.order_by("name", "pk")


def access_rule(user: User, pk: int) -> SkillRule:
    rule = visible_rules(user).filter(pk=pk).first()
    if rule is None:
        raise NotFound(f"Skill rule #{pk} does not exist or is not yours to see.")
    return rule


def _check(fields: dict) -> None:
    errors: dict[str, list[str]] = {}
    if "name" in fields and not (fields["name"] or "").strip():
        errors["name"] = ["A name is required."]
    if fields.get("channel") and fields["channel"] not in Channel.values:
        errors["channel"] = ["Unknown channel."]
    if fields.get("priority") and fields["priority"] not in Priority.values:
        errors["priority"] = ["Unknown priority."]
    if "skills" in fields and not fields["skills"]:
        errors["skills"] = ["Choose at least one skill."]
    if any(not s.active for s in fields.get("skills") or ()):
        errors["skills"] = ["A retired skill cannot be required."]
    if errors:
        raise InvalidInput("The skill rule is not valid.", fields=errors)


def _team_id(value: Team | None) -> int | None:
    return value.pk if value is not None else None


def create_rule(*, by: User, name: str, skills: list[Skill], **conditions) -> SkillRule:
    permissions.ensure_can_manage_routing(by, _team_id(conditions.get("team")))
    _check({"name": name, "skills": skills, **conditions})
    with transaction.atomic():
        rule = SkillRule.objects.create(name=name.strip(), **conditions)
        rule.skills.set(skills)
    return rule


def update_rule(pk: int, *, by: User, **fields) -> SkillRule:
    """Change a rule; moving it to another team needs the right to both."""
    rule = access_rule(by, pk)
    permissions.ensure_can_manage_routing(by, rule.team_id)
    if "team" in fields:
        permissions.ensure_can_manage_routing(by, _team_id(fields["team"]))
    _check(fields)
    skills = fields.pop("skills", None)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(rule, name, value.strip() if name == "name" else value)
        rule.save()
        if skills is not None:
            rule.skills.set(skills)
    return rule


def delete_rule(pk: int, *, by: User) -> None:
    rule = access_rule(by, pk)
    permissions.ensure_can_manage_routing(by, rule.team_id)
    rule.delete()
