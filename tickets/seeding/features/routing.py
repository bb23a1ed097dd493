"""Routing in the demo (issue 15): skills for Tier 2 (German, devices, and payments, which
needs the PCI certification, so members without a valid one show it lapsed), a few people
available, rules that give German and failed-payment tickets their skills, and Tier 2 in
skills mode. Tier 1, where the portal and mail demo tickets arrive, stays manual, and
nothing here creates or assigns a ticket, so a seed still gives the same tickets and logs;
the worker's periodic run (every 30 s) then routes Tier 2's waiting tickets."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.utils import timezone

from policies.models import Category
from staffing.models import Certification, Skill, Team
from staffing.services import certifications
from staffing.skills import services as skills
from tickets.routing import services as routing
from tickets.routing.models import SkillRule


def seed_routing(*, manager: User, director: User) -> int:
    """How many skills were granted (0 when the demo already has skills)."""
    tier2 = Team.objects.filter(slug="tier-2-technical").first()
    if Skill.objects.exists() or tier2 is None:
        return 0
    pci = Certification.objects.filter(name="PCI DSS awareness").first()
    german = skills.create_skill(by=director, kind="language", name="German")
    devices = skills.create_skill(by=director, kind="product", name="Devices")
    payments = skills.create_skill(
        by=director, kind="category", name="Payments", requires_certification=pci
    )
    members = list(tier2.members.filter(is_active=True).order_by("pk"))
    granted = 0
    for i, person in enumerate(members):
        held = [devices] + ([german] if i % 3 == 0 else []) + ([payments] if i % 2 == 0 else [])
        for skill in held:
            skills.grant_skill(by=manager, user=person, skill=skill, level=3 + i % 3)
            granted += 1
        if i == 0 and pci is not None:  # the one who may take failed payments
            issued = timezone.localdate() - relativedelta(months=2)
            certifications.record_certification(
                user=person, certification=pci, issued_on=issued, by=manager
            )
        # Before routing is on, so setting a status routes nothing yet.
        skills.set_availability(person, ["available", "available", "away"][i % 3])
    for username in ("rep", "rep2"):
        rep = User.objects.filter(username=username).first()
        if rep is not None:
            skills.set_availability(rep, "available")
    german_rule = SkillRule.objects.create(name="German speakers", team=tier2, language="de")
    german_rule.skills.set([german])
    failed = Category.objects.filter(slug="payment-failed").first()
    if failed is not None:
        rule = SkillRule.objects.create(name="Failed payments", team=tier2, category=failed)
        rule.skills.set([payments])
    routing.update_settings(tier2, by=manager, mode="skills", capacity=10)
    return granted
