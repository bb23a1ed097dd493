"""Permission-matrix rows of the customer pages and API (tickets.customers): reps see the
customers of tickets in their teams, managers and directors all; merging needs a manager."""

from __future__ import annotations

from tests.factories import CustomerFactory, make_ticket
from tests.matrix import Row, api_staff, staff
from tickets.models import Customer, CustomerNote


def customer_kwargs(ctx) -> dict:
    ticket = make_ticket(ctx["team"])
    ctx["customer"] = ticket.requester
    return {"pk": ticket.requester_id}


def organization_kwargs(ctx) -> dict:
    ticket = make_ticket(ctx["team"])
    return {"pk": ticket.requester.organization_id}


def customer_snapshot(ctx):
    c = Customer.objects.get(pk=ctx["customer"].pk)
    return (c.name, c.email, c.phone, CustomerNote.objects.filter(customer=c).count())


def merge_kwargs(ctx) -> dict:
    ctx["duplicate"] = CustomerFactory(email="dup@example.org")
    return customer_kwargs(ctx)


def merge_snapshot(ctx):
    return (Customer.objects.filter(email="dup@example.org").count(), customer_snapshot(ctx))


ROWS: dict[str, Row] = {
    "customers:customer-list": Row("get", staff(200)),
    "customers:customer-detail": Row("get", staff(200, rep_other_team=404), kwargs=customer_kwargs),
    "customers:customer-edit": Row(
        "post",
        staff(302, rep_other_team=404),
        kwargs=customer_kwargs,
        data=lambda ctx: {"name": "Renamed", "email": "renamed@example.org", "phone": "1"},
        snapshot=customer_snapshot,
    ),
    "customers:customer-note": Row(
        "post",
        staff(302, rep_other_team=404),
        kwargs=customer_kwargs,
        data=lambda ctx: {"body": "Prefers phone calls."},
        snapshot=customer_snapshot,
    ),
    "customers:customer-merge": Row(
        "post",
        staff(302, rep=403, rep_other_team=404),
        kwargs=merge_kwargs,
        data=lambda ctx: {"duplicate": "dup@example.org"},
        snapshot=merge_snapshot,
    ),
    "customers:organization-detail": Row(
        "get", staff(200, rep_other_team=404), kwargs=organization_kwargs
    ),
    "tickets-api:customer-merge": Row(
        "post",
        api_staff(200, rep=403, rep_other_team=404),
        kwargs=merge_kwargs,
        data=lambda ctx: {"duplicate": ctx["duplicate"].pk},
        content_type="application/json",
        snapshot=merge_snapshot,
    ),
}
