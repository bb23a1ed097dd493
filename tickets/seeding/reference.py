"""Idempotent rows the tickets refer to: teams, categories, tags, staff, organizations.

Everything here is get-or-create by a natural key, so re-running the seeder reuses it.
Staff names come from fixed lists (not the ticket seed): every seed sees the same people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction

from csops.roles import Role
from policies.models import Category, Tag
from staffing.models import StaffProfile, Team
from tickets.models import Organization
from tickets.seeding import catalog
from tickets.seeding.catalog import words

ORG_PREFIXES = words(
    "Acme Northwind Globex Initech Umbrella Stark Wayne Wonka Hooli Vandelay Soylent Cyberdyne "
    "Tyrell Aperture Gringotts Oscorp Piedmont Pinnacle Dunder "
    "Massive Prestige Sterling Blue Harbor "
    "Redwood Granite Silverline Bright Evergreen Summit Pioneer Keystone Lakeside Maple Orion "
    "Polar Quantum Riverside Sunrise Trident Vertex"
)
ORG_SUFFIXES = words(
    "Labs Logistics Foods Media Health Studios Systems Retail Partners Outdoors Energy Travel "
    "Design Robotics Dental Legal Bakery Fitness Motors Analytics Apparel Farms Books Clinic "
    "Consulting"
)


@dataclass(frozen=True)
class TeamInfo:
    pk: int
    slug: str
    tier: int
    members: tuple[int, ...]  # user ids that may be assigned (members, then managers)
    escalates_to: int | None


@dataclass(frozen=True)
class Reference:
    teams: dict[str, TeamInfo]
    categories: dict[str, int]  # slug -> pk
    tags: dict[str, int]  # name -> pk
    organizations: list[tuple[int, str]]  # (pk, email domain)


def _password_hash() -> str:
    # One PBKDF2 run for every demo login (hashing each user takes about a second).
    return make_password(catalog.DEMO_PASSWORD)


def _ensure_user(spec: catalog.StaffSpec, groups: dict[str, Group], hashed: str) -> User:
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@staff.csops.example",
            "password": hashed,
            "is_staff": spec.role == Role.ADMIN,
        },
    )
    if not created and spec.role == Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(groups[spec.role])
    StaffProfile.objects.get_or_create(
        user=user, defaults={"title": spec.title, "hire_date": date(2021, 3, 1)}
    )
    return user


def generated_reps() -> list[catalog.StaffSpec]:
    """About forty reps with fixed names, spread over the teams (see ``REPS_PER_TEAM``)."""
    specs: list[catalog.StaffSpec] = []
    i = 0
    for team_slug, count in catalog.REPS_PER_TEAM.items():
        for k in range(count):
            first = catalog.FIRST_NAMES[i % len(catalog.FIRST_NAMES)]
            last = catalog.LAST_NAMES[(i * 7) % len(catalog.LAST_NAMES)]
            teams = (team_slug,)
            if k == 0 and team_slug in catalog.SECOND_TEAM:
                teams += (catalog.SECOND_TEAM[team_slug],)
            username = f"{first}.{last}".lower()
            specs.append(catalog.StaffSpec(username, first, last, Role.REP, teams, (), "Agent"))
            i += 1
    return specs


@transaction.atomic
def ensure_reference_data(n_organizations: int) -> Reference:
    teams = {}
    for spec in catalog.TEAMS:
        team, _ = Team.objects.get_or_create(
            slug=spec.slug,
            defaults={"name": spec.name, "tier": spec.tier, "description": spec.description},
        )
        teams[spec.slug] = team
    for spec in catalog.CATEGORIES:
        Category.objects.get_or_create(slug=spec.slug, defaults={"name": spec.name})
    Tag.objects.bulk_create([Tag(name=name) for name in catalog.TAGS], ignore_conflicts=True)

    groups = {g.name: g for g in Group.objects.filter(name__in=[r.value for r in Role])}
    hashed = _password_hash()
    demo = {s.username: _ensure_user(s, groups, hashed) for s in catalog.DEMO_STAFF}
    managers = [demo[s.username] for s in catalog.DEMO_STAFF if s.manages]
    for spec in generated_reps():
        user = _ensure_user(spec, groups, hashed)
        for slug in spec.teams:
            teams[slug].members.add(user)
        StaffProfile.objects.filter(user=user, manager__isnull=True).update(
            manager=next((m for m in managers if set(spec.teams) & set(_manages(m))), None)
        )
    for spec in catalog.DEMO_STAFF:
        for slug in spec.teams:
            teams[slug].members.add(demo[spec.username])
        for slug in spec.manages:
            teams[slug].managers.add(demo[spec.username])

    return load_reference(_ensure_organizations(n_organizations))


def _manages(user: User) -> tuple[str, ...]:
    return next((s.manages for s in catalog.DEMO_STAFF if s.username == user.username), ())


def organization_names(count: int) -> list[str]:
    names = []
    for i in range(count):
        prefix = ORG_PREFIXES[i % len(ORG_PREFIXES)]
        suffix = ORG_SUFFIXES[(i // len(ORG_PREFIXES)) % len(ORG_SUFFIXES)]
        lap = i // (len(ORG_PREFIXES) * len(ORG_SUFFIXES))
        names.append(f"{prefix} {suffix}" + (f" {lap + 1}" if lap else ""))
    return names


def _domain(name: str) -> str:
    return name.lower().replace(" ", "-") + ".example.com"


def _ensure_organizations(count: int) -> list[tuple[int, str]]:
    """The first ``count`` demo organizations as (pk, email domain), in name order."""
    names = organization_names(count)
    Organization.objects.bulk_create(
        [Organization(name=n, domain=_domain(n)) for n in names],
        batch_size=1000,
        ignore_conflicts=True,
    )
    wanted = set(names)
    found = {
        name: (pk, domain or _domain(name))
        for pk, name, domain in Organization.objects.values_list("pk", "name", "domain")
        if name in wanted
    }
    return [found[name] for name in names]


def load_reference(organizations: list[tuple[int, str]]) -> Reference:
    teams = {}
    for team in Team.objects.prefetch_related("members", "managers").order_by("pk"):
        members = sorted(u.pk for u in team.members.all() if u.is_active)
        managers = sorted(u.pk for u in team.managers.all() if u.is_active)
        spec = next((s for s in catalog.TEAMS if s.slug == team.slug), None)
        teams[team.slug] = (team, tuple(members or managers), spec)
    infos = {}
    for slug, (team, members, spec) in teams.items():
        target = teams.get(spec.escalates_to) if spec and spec.escalates_to else None
        infos[slug] = TeamInfo(team.pk, slug, team.tier, members, target[0].pk if target else None)
    return Reference(
        teams=infos,
        categories=dict(Category.objects.values_list("slug", "pk")),
        tags=dict(Tag.objects.values_list("name", "pk")),
        organizations=organizations,
    )
