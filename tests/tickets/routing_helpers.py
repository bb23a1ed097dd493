"""Builders for routing tests: routed teams, available reps, skills and certifications."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from csops.roles import Role
from staffing.models import (
    Availability,
    Certification,
    PersonSkill,
    Skill,
    StaffCertification,
    Team,
)
from tests.factories import UserFactory
from tickets.routing.models import RoutingSettings, SkillRule


def routed(team: Team, mode: str, **kw) -> RoutingSettings:
    conf, _ = RoutingSettings.objects.update_or_create(team=team, defaults={"mode": mode, **kw})
    return conf


def available(*users, status: str = "available") -> None:
    for user in users:
        Availability.objects.update_or_create(
            user=user, defaults={"status": status, "changed_at": timezone.now()}
        )


def reps(team: Team, n: int, prefix: str = "r", status: str = "available") -> list:
    people = [
        UserFactory(
            username=f"{prefix}{i:02d}",
            first_name=f"{prefix.upper()}{i:02d}",
            last_name="Rep",
            role=Role.REP,
        )
        for i in range(n)
    ]
    team.members.add(*people)
    available(*people, status=status)
    return people


def skill(name: str, kind: str = "language", cert: Certification | None = None) -> Skill:
    return Skill.objects.get_or_create(
        kind=kind, name=name, defaults={"requires_certification": cert}
    )[0]


def holds(user, *skills: Skill, level: int = 3) -> None:
    for s in skills:
        PersonSkill.objects.get_or_create(
            user=user, skill=s, defaults={"level": level, "granted_at": timezone.now()}
        )


def rule(name: str, *skills: Skill, **conditions) -> SkillRule:
    r = SkillRule.objects.create(name=name, **conditions)
    r.skills.set(skills)
    return r


def certify(user, cert: Certification, issued: date, expires: date | None) -> StaffCertification:
    return StaffCertification.objects.create(
        user=user,
        certification=cert,
        issued_on=issued,
        expires_on=expires,
        recorded_at=timezone.now(),
    )
