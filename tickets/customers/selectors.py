"""Reads for the customer and organization pages, the search, and the API, scoped to what
the user may see (``permissions.scope_customers`` / ``scope_organizations``; the tickets on
them through ``scope_tickets``). Figures are computed from ticket, survey and SLA rows with
indexed queries (requester, organization and ticket foreign keys); nothing reads ``kpis``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from csops import permissions
from csops.permissions.roles import AnyUser
from policies.ticket_log import UNRESOLVED
from tickets.models import (
    Customer,
    CustomerMerge,
    CustomerNote,
    Organization,
    SurveyResponse,
    Ticket,
    TicketSlaInstance,
)

SEARCH_LIMIT = 5  # rows of each kind in the queue's search results
PAGE_TICKETS = 100  # tickets listed on a customer or organization page


def customers_for(user: AnyUser, query: str = "") -> QuerySet[Customer]:
    """Customers the user may see, matching ``query`` in the name, email or organization."""
    qs = permissions.scope_customers(user, Customer.objects.select_related("organization"))
    query = query.strip()
    if query:
        # The organizations' ids first (a small table): a condition on the joined name would
        # keep the OR from using the trigram indexes on name and email (migration 0024), and
        # PostgreSQL would scan every customer (0.6-0.9 s at 200,000 customers, loaded).
        orgs = Organization.objects.filter(name__icontains=query).values_list("pk", flat=True)
        qs = qs.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(organization_id__in=list(orgs))
        )
    return qs.order_by("name", "pk")


def organizations_for(user: AnyUser, query: str = "") -> QuerySet[Organization]:
    qs = permissions.scope_organizations(user, Organization.objects.all())
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(domain__icontains=query))
    return qs.order_by("name", "pk")


@dataclass(frozen=True)
class SearchResults:
    customers: list[Customer]
    organizations: list[Organization]


def search(user: AnyUser, query: str) -> SearchResults:
    """The queue search box's people section: a few customers and organizations."""
    if not query.strip():
        return SearchResults([], [])
    return SearchResults(
        list(customers_for(user, query)[:SEARCH_LIMIT]),
        list(organizations_for(user, query)[:SEARCH_LIMIT]),
    )


@dataclass(frozen=True)
class Csat:
    answers: int
    positive: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.positive / self.answers, 1) if self.answers else None


@dataclass(frozen=True)
class SlaAttainment:
    achieved: int
    breached: int

    @property
    def percent(self) -> float | None:
        total = self.achieved + self.breached
        return round(100 * self.achieved / total, 1) if total else None


@dataclass
class CustomerProfile:
    customer: Customer
    tickets: list[Ticket]
    ticket_count: int
    channels: list[tuple[str, int]]  # (channel label, tickets)
    csat_history: list[SurveyResponse]
    csat: Csat
    notes: list[CustomerNote]
    merges: list[CustomerMerge] = field(default_factory=list)


def _csat(responses: QuerySet[SurveyResponse]) -> Csat:
    row = responses.filter(is_current=True).aggregate(
        n=Count("pk"), positive=Count("pk", filter=Q(positive=True))
    )
    return Csat(row["n"], row["positive"])


def customer_profile(user: AnyUser, customer_id: int) -> CustomerProfile:
    customer = permissions.access_customer(user, customer_id)
    tickets = permissions.scope_tickets(
        user, Ticket.objects.filter(requester_id=customer.pk).select_related("team", "assignee")
    )
    labels = dict(Ticket._meta.get_field("channel").choices)
    channels = [
        (labels.get(row["channel"], row["channel"]), row["n"])
        for row in tickets.order_by().values("channel").annotate(n=Count("pk")).order_by("-n")
    ]
    responses = SurveyResponse.objects.filter(ticket__in=tickets.values("pk"))
    return CustomerProfile(
        customer=customer,
        tickets=list(tickets.order_by("-created_at", "-pk")[:PAGE_TICKETS]),
        ticket_count=tickets.count(),
        channels=channels,
        csat_history=list(responses.select_related("ticket").order_by("-submitted_at")[:50]),
        csat=_csat(responses),
        notes=list(customer.notes.select_related("author")[:50]),
        merges=list(customer.merges.select_related("by")[:20]),
    )


@dataclass
class OrganizationProfile:
    organization: Organization
    people: list[Customer]
    open_tickets: list[Ticket]
    open_count: int
    sla: SlaAttainment
    csat: Csat


def organization_profile(user: AnyUser, organization_id: int) -> OrganizationProfile:
    organization = permissions.access_organization(user, organization_id)
    people = permissions.scope_customers(user, organization.customers.all())
    tickets = permissions.scope_tickets(
        user, Ticket.objects.filter(requester__organization_id=organization.pk)
    )
    open_tickets = tickets.filter(status__in=sorted(UNRESOLVED))
    outcomes = dict(
        TicketSlaInstance.objects.filter(
            ticket__in=tickets.values("pk"), outcome__in=["achieved", "breached"]
        )
        .values("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    counts = dict(
        tickets.order_by()
        .values("requester_id")
        .annotate(n=Count("pk"))
        .values_list("requester_id", "n")
    )
    people_list = list(people.order_by("name", "pk")[:200])
    for person in people_list:
        person.ticket_total = counts.get(person.pk, 0)  # tickets the user may see
    return OrganizationProfile(
        organization=organization,
        people=people_list,
        open_tickets=list(
            open_tickets.select_related("requester", "assignee", "team").order_by(
                "-updated_at", "-pk"
            )[:PAGE_TICKETS]
        ),
        open_count=open_tickets.count(),
        sla=SlaAttainment(outcomes.get("achieved", 0), outcomes.get("breached", 0)),
        csat=_csat(SurveyResponse.objects.filter(ticket__in=tickets.values("pk"))),
    )
