"""Reads about skills and availability, used by routing and the routing page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from staffing.models import Availability, AvailabilityStatus, PersonSkill, StaffCertification
from staffing.models.certifications import CertStatus
from staffing.models.training import TrainingRecord


@dataclass(frozen=True)
class HeldSkill:
    skill_id: int
    name: str
    level: int
    valid: bool
    lapsed_because: str  # "" when valid, else e.g. "certification GDPR expired on 2026-05-01"


def _valid_certifications(user_ids: set[int], cert_ids: set, today: date) -> set:
    if not cert_ids:
        return set()
    rows = StaffCertification.objects.filter(
        user_id__in=user_ids, certification_id__in=cert_ids, status=CertStatus.ACTIVE
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))
    return set(rows.values_list("user_id", "certification_id"))


def _completed_courses(user_ids: set[int], course_ids: set, today: date) -> set:
    if not course_ids:
        return set()
    rows = TrainingRecord.objects.filter(
        user_id__in=user_ids, course_id__in=course_ids, completed_on__isnull=False
    ).values_list("user_id", "course_id", "completed_on", "course__recurrence_months")
    held = set()
    for user_id, course_id, completed_on, months in rows:
        if months is None or completed_on + relativedelta(months=months) > today:
            held.add((user_id, course_id))
    return held


def held_skills(
    user_ids: Iterable[int], today: date, *, skill_ids: Iterable[int] | None = None
) -> dict[int, list[HeldSkill]]:
    """Each person's skills (of ``skill_ids`` if given) with whether each is valid today:
    a skill that requires a certification or course counts only while that holds. Three
    queries whatever the number of people."""
    users = set(user_ids)
    qs = PersonSkill.objects.filter(user_id__in=users, skill__active=True).select_related(
        "skill__requires_certification", "skill__requires_course"
    )
    if skill_ids is not None:
        qs = qs.filter(skill_id__in=set(skill_ids))
    rows = list(qs)
    certs = _valid_certifications(
        users, {r.skill.requires_certification_id for r in rows} - {None}, today
    )
    courses = _completed_courses(users, {r.skill.requires_course_id for r in rows} - {None}, today)
    out: dict[int, list[HeldSkill]] = defaultdict(list)
    for r in rows:
        why = ""
        cert_id, course_id = r.skill.requires_certification_id, r.skill.requires_course_id
        if cert_id and (r.user_id, cert_id) not in certs:
            why = f"certification {r.skill.requires_certification} is not valid"
        elif course_id and (r.user_id, course_id) not in courses:
            why = f"course {r.skill.requires_course} is not completed"
        out[r.user_id].append(HeldSkill(r.skill_id, r.skill.name, r.level, not why, why))
    return dict(out)


def valid_skill_ids(user_ids: Iterable[int], today: date, skill_ids: Iterable[int]) -> dict:
    """person id -> ids of the given skills they validly hold today."""
    held = held_skills(user_ids, today, skill_ids=skill_ids)
    return {u: {h.skill_id for h in hs if h.valid} for u, hs in held.items()}


def lapsed_person_skills(today: date) -> list[tuple[PersonSkill, str]]:
    """Every held skill whose certification or course requirement does not hold today."""
    rows = list(
        PersonSkill.objects.filter(skill__active=True)
        .filter(
            Q(skill__requires_certification__isnull=False) | Q(skill__requires_course__isnull=False)
        )
        .select_related("skill__requires_certification", "skill__requires_course", "user")
    )
    users = {r.user_id for r in rows}
    certs = _valid_certifications(
        users, {r.skill.requires_certification_id for r in rows} - {None}, today
    )
    courses = _completed_courses(users, {r.skill.requires_course_id for r in rows} - {None}, today)
    out = []
    for r in rows:
        cert_id, course_id = r.skill.requires_certification_id, r.skill.requires_course_id
        if cert_id and (r.user_id, cert_id) not in certs:
            out.append((r, f"certification {r.skill.requires_certification} is not valid"))
        elif course_id and (r.user_id, course_id) not in courses:
            out.append((r, f"course {r.skill.requires_course} is not completed"))
    return out


def availability_of(user_ids: Iterable[int]) -> dict[int, str]:
    """person id -> available/away/offline (no row: offline)."""
    users = set(user_ids)
    found = dict(Availability.objects.filter(user_id__in=users).values_list("user_id", "status"))
    return {u: found.get(u, AvailabilityStatus.OFFLINE) for u in users}
