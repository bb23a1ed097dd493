"""Writes about skills and availability. Each checks who may do it (csops.permissions)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from csops import permissions
from csops.errors import InvalidInput, NotFound
from csops.notify import notify
from csops.people import display_name
from staffing.models import (
    Availability,
    AvailabilityStatus,
    Certification,
    Course,
    PersonSkill,
    Skill,
    Team,
)
from staffing.services._common import now, today
from staffing.skills import selectors


def create_skill(
    *,
    by: User,
    kind: str,
    name: str,
    requires_certification: Certification | None = None,
    requires_course: Course | None = None,
) -> Skill:
    permissions.ensure_can_edit_staff_catalog(by)
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["A name is required."]
    if requires_certification is not None and requires_course is not None:
        errors["requires_course"] = ["Require a certification or a course, not both."]
    if Skill.objects.filter(kind=kind, name__iexact=name).exists():
        errors["name"] = ["A skill of this kind and name exists."]
    if errors:
        raise InvalidInput("The skill is not valid.", fields=errors)
    return Skill.objects.create(
        kind=kind,
        name=name,
        requires_certification=requires_certification,
        requires_course=requires_course,
    )


def grant_skill(*, by: User, user: User, skill: Skill, level: int = 3) -> PersonSkill:
    """Give a person a skill (or change its level). Managers of the person's team and up."""
    permissions.ensure_can_manage_person(by, user.pk)
    if not 1 <= level <= 5:
        raise InvalidInput("The level is from 1 to 5.", fields={"level": ["From 1 to 5."]})
    held, created = PersonSkill.objects.get_or_create(
        user=user, skill=skill, defaults={"level": level, "granted_by": by, "granted_at": now()}
    )
    if not created and held.level != level:
        held.level, held.granted_by = level, by
        held.save(update_fields=["level", "granted_by"])
    return held


def revoke_skill(pk: int, *, by: User) -> None:
    held = PersonSkill.objects.filter(pk=pk).first()
    if held is None or not permissions.can_manage_person(by, held.user_id):
        raise NotFound(f"Skill record #{pk} does not exist or is not yours to change.")
    held.delete()


def set_availability(user: User, status: str) -> Availability:
    """A person says whether they take new tickets now. Only for oneself."""
    if not permissions.is_staff_member(user):
        raise NotFound("Only staff have an availability status.")
    if status not in AvailabilityStatus.values:
        raise InvalidInput(
            "Unknown availability.", fields={"status": ["Choose available, away or offline."]}
        )
    with transaction.atomic():
        try:
            row, _ = Availability.objects.select_for_update().get_or_create(
                user=user, defaults={"status": status, "changed_at": now()}
            )
        except IntegrityError:  # created concurrently: take the row now there
            row = Availability.objects.select_for_update().get(user=user)
        if row.status != status:
            row.status, row.changed_at = status, now()
            row.save(update_fields=["status", "changed_at"])
    return row


def notify_lapsed_skills(on: date | None = None) -> int:
    """Tell each person whose skill lapsed (its certification expired, its course is due
    again), and their managers, once per lapse. Renewing and lapsing again is a new lapse
    (the key names the certification record or completion it was computed against)."""
    on = on or today()
    sent = 0
    for held, why in selectors.lapsed_person_skills(on):
        managers = list(
            User.objects.filter(
                managed_teams__in=Team.objects.filter(members=held.user_id)
            ).distinct()
        )
        text = (
            f"{display_name(held.user)} no longer has the skill {held.skill.name}: {why}. "
            "Tickets that need it go to others until it is renewed."
        )
        sent += notify(
            [held.user, *managers],
            key=f"skill-lapse:{held.pk}:{_lapse_marker(held)}",
            text=text,
            url=f"/staff/people/{held.user_id}/",
        )
    return sent


def _lapse_marker(held: PersonSkill) -> str:
    """What the lapse is measured against: the newest certification record or completion."""
    skill = held.skill
    if skill.requires_certification_id:
        last = (
            held.user.certifications.filter(certification_id=skill.requires_certification_id)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        return f"cert{last or 0}"
    last = (
        held.user.training_records.filter(course_id=skill.requires_course_id or 0)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"course{last or 0}"
