"""The customer pages (/customers/): the list and search, a customer's page (with contact
edit, internal notes and merge), an organization's page. Reads go through
``tickets.customers.selectors`` (scoped), writes through ``tickets.customers.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from csops import permissions
from csops.errors import InvalidInput
from csops.forms import save_form
from csops.htmx import domain_errors
from tickets.customers import selectors, services
from tickets.customers.forms import ContactForm, MergeForm, NoteForm
from tickets.models import Customer

PAGE_SIZE = 50


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
def customer_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    page = Paginator(selectors.customers_for(request.user, query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    organizations = list(selectors.organizations_for(request.user, query)[:20]) if query else []
    context = {"page": page, "q": query, "organizations": organizations}
    return render(request, "customers/customers.html", context)


def _contact_form(customer: Customer, data=None) -> ContactForm:
    initial = {
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "organization": customer.organization.name if customer.organization else "",
    }
    return ContactForm(data, initial=initial)


def _render_customer(
    request: HttpRequest,
    pk: int,
    *,
    contact_form: ContactForm | None = None,
    note_form: NoteForm | None = None,
    merge_form: MergeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    profile = selectors.customer_profile(request.user, pk)
    context = {
        "p": profile,
        "customer": profile.customer,
        "contact_form": contact_form or _contact_form(profile.customer),
        "note_form": note_form or NoteForm(),
        "merge_form": merge_form or MergeForm(),
        "can_merge": permissions.can_merge_customers(request.user),
    }
    return render(request, "customers/customer.html", context, status=status)


@require_GET
@domain_errors
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_customer(request, pk)


@require_POST
@domain_errors
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = permissions.access_customer(request.user, pk)
    form = _contact_form(customer, request.POST)
    saved = save_form(form, lambda **v: services.update_contact(pk, by=request.user, **v))
    if saved is None:
        return _render_customer(request, pk, contact_form=form, status=422)
    messages.success(request, f"Contact details of {saved.name} saved.")
    return _redirect(request, reverse("customers:customer-detail", args=[pk]))


@require_POST
@domain_errors
def customer_note(request: HttpRequest, pk: int) -> HttpResponse:
    form = NoteForm(request.POST)
    note = save_form(form, lambda **v: services.add_note(pk, by=request.user, **v))
    if note is None:
        return _render_customer(request, pk, note_form=form, status=422)
    messages.success(request, "Note added.")
    return _redirect(request, reverse("customers:customer-detail", args=[pk]))


@require_http_methods(["POST"])
@domain_errors
def customer_merge(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.access_customer(request.user, pk)
    form = MergeForm(request.POST)

    def merge(duplicate: str):
        found = Customer.objects.with_email(duplicate).values_list("pk", flat=True)
        if not found:
            raise InvalidInput(
                "No customer has that email.", fields={"duplicate": ["No customer has this email."]}
            )
        return services.merge_customers(pk, found[0], by=request.user)

    merged = save_form(form, merge)
    if merged is None:
        return _render_customer(request, pk, merge_form=form, status=422)
    messages.success(
        request, f"{merged.merged_name} <{merged.merged_email}> merged into this customer."
    )
    return _redirect(request, reverse("customers:customer-detail", args=[pk]))


@require_GET
@domain_errors
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.organization_profile(request.user, pk)
    return render(request, "customers/organization.html", {"p": profile})
