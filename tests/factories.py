"""Test data builders. Tickets are made through the services so their event log is real."""

from __future__ import annotations

from collections.abc import Sequence

import factory
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User

from csops.roles import Role, sync_groups
from staffing.models import StaffProfile, Team
from tickets import services
from tickets.models import Customer, Organization, Ticket


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    tier = 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@staff.example.com")
    password = factory.django.Password("pw-for-tests-123")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            if not Group.objects.filter(name=Role(extracted).value).exists():
                # A transactional test's flush removed the groups the migration created.
                sync_groups(django_apps, None)
            user.groups.add(Group.objects.get(name=Role(extracted).value))
            StaffProfile.objects.get_or_create(user=user)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Org {n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"customer{n}@example.org")
    organization = factory.SubFactory(OrganizationFactory)


def make_ticket(
    team: Team, *, by: User | None = None, requester: Customer | None = None, **kw
) -> Ticket:
    """A ticket created through ``services.create_ticket`` (inbound by default)."""
    kw.setdefault("subject", "Cannot log in")
    kw.setdefault("description", "The password reset mail never arrives.")
    return services.create_ticket(by=by, requester=requester or CustomerFactory(), team=team, **kw)


def make_incident(manager: User, team: Team, ticket_ids: Sequence[int] = (), **kw):
    """An incident declared through ``services.incidents`` (sev1 "Checkout down" by default),
    with ``ticket_ids`` linked."""
    from tickets.services import incidents

    kw.setdefault("title", "Checkout down")
    kw.setdefault("severity", "sev1")
    kw.setdefault("description", "PSP outage")
    kw.setdefault("customer_update", "Payments fail.")
    incident = incidents.declare(by=manager, team=team, **kw)
    if ticket_ids:
        incidents.link_tickets(incident.pk, by=manager, ticket_ids=ticket_ids)
    return incident
