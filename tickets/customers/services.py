"""Customer use cases: find or create by email, edit contact details, add a note, merge.

Each write runs in one transaction, checks scope through ``csops.permissions`` and is kept in
the customer's audit history (django-simple-history on ``Customer``), with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from csops import permissions
from csops.errors import InvalidInput, NotAllowed
from tickets.models import Customer, CustomerMerge, CustomerNote, Organization

NAME_LENGTH = Customer._meta.get_field("name").max_length  # a mail's display name may be longer


def customers_by_email(emails: Iterable[str]) -> dict[str, Customer]:
    """The customers of many addresses in two queries, by lower-cased address (an address
    merged into another record gives the survivor): for ``find_or_create_customer``'s
    ``known`` in a batch of work."""
    keys = {e.strip().lower() for e in emails if e.strip()}
    if not keys:
        return {}
    customers = Customer.objects.annotate(key=Lower("email")).filter(key__in=keys)
    found: dict[str, Customer] = {c.key: c for c in customers}
    merges = CustomerMerge.objects.annotate(key=Lower("merged_email"))
    merges = merges.filter(key__in=keys - found.keys()).select_related("survivor")
    for merge in merges.order_by("-pk"):
        found[merge.key] = merge.survivor  # the first (lowest pk) one wins, as in .first()
    return found


def add_new_customers(known: dict[str, Customer], senders: Iterable[tuple[str, str]]) -> None:
    """Create at once (one INSERT and one for their history) the customers of the (email,
    name) pairs whose address ``known`` (``customers_by_email``) lacks, the first name given
    for an address winning, and add them to it. For a batch of mail in one transaction; a
    concurrent creation of the same address fails it on the unique constraint."""
    new: dict[str, Customer] = {}
    for email, name in senders:
        email = email.strip()
        key = email.lower()
        if email and key not in known and key not in new:
            new[key] = Customer(email=email, name=_name(email, name))
    if new:
        bulk_create_with_history(list(new.values()), Customer)
        known.update(new)


def find_or_create_customer(
    *, by: User | None, email: str, name: str = "", known: dict[str, Customer] | None = None
) -> Customer:
    """The customer with this email (case-insensitive), created if new. An address merged
    into another record finds the survivor. Two concurrent calls with the same new email
    both get the one row the unique constraint lets in. ``known``: ``customers_by_email`` of
    a batch's addresses, read in the same transaction: an address missing from it is
    created without being looked up again, and is added to it."""
    email = email.strip()
    if not email:
        raise InvalidInput(
            "An email is required.", fields={"email": ["Enter the customer's email."]}
        )
    if known is not None:
        customer = known.get(email.lower())
        if customer is None:
            customer = known[email.lower()] = _create(by, email, name)
        return customer
    customer = Customer.objects.with_email(email).first()
    if customer is not None:
        return customer
    merged = (
        CustomerMerge.objects.filter(merged_email__iexact=email).select_related("survivor").first()
    )
    if merged is not None:
        return merged.survivor
    return _create(by, email, name)


def _create(by: User | None, email: str, name: str) -> Customer:
    if by is not None and not by.has_perm("tickets.add_customer"):
        raise NotAllowed("You may not add customers.")
    try:
        with transaction.atomic():
            return Customer.objects.create(email=email, name=_name(email, name))
    except IntegrityError:
        return Customer.objects.with_email(email).get()


def _name(email: str, name: str) -> str:
    return (name.strip() or email.split("@")[0])[:NAME_LENGTH]


def _organization(name: str) -> Organization | None:
    name = " ".join(name.split())
    if not name:
        return None
    found = Organization.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Organization.objects.create(name=name)
    except IntegrityError:
        return Organization.objects.get(name=name)


@transaction.atomic
def update_contact(
    customer_id: int, *, by: User, name: str, email: str, phone: str = "", organization: str = ""
) -> Customer:
    """Edit a customer's contact details (anyone who may see the customer). The organization
    is named; a new name creates it."""
    customer = permissions.access_customer(by, customer_id, for_update=True)
    name, email, phone = name.strip(), email.strip(), phone.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Enter the customer's name."]
    if not email:
        errors["email"] = ["Enter the customer's email."]
    elif Customer.objects.with_email(email).exclude(pk=customer.pk).exists():
        errors["email"] = ["Another customer has this email: merge the two records instead."]
    if errors:
        raise InvalidInput("The contact details are not valid.", fields=errors)
    customer.name, customer.email, customer.phone = name, email, phone
    customer.organization = _organization(organization)
    customer._change_reason = "Contact details edited"
    customer.save()
    return customer


@transaction.atomic
def add_note(customer_id: int, *, by: User, body: str) -> CustomerNote:
    customer = permissions.access_customer(by, customer_id)
    body = body.strip()
    if not body:
        raise InvalidInput("The note is empty.", fields={"body": ["Write a note."]})
    return CustomerNote.objects.create(
        customer=customer, author=by, body=body, created_at=timezone.now()
    )


def _references_to_customer() -> list[Any]:
    """Every foreign key to Customer, in whatever app or model (tickets, events, notes,
    merges, and what other channels add), except audit history rows (they keep the past)."""
    fields = []
    for f in Customer._meta.get_fields(include_hidden=True):
        if f.auto_created and (f.one_to_many or f.one_to_one) and not f.concrete:
            remote: Any = f.remote_field
            if not remote.model._meta.model_name.startswith("historical"):  # audit rows stay
                fields.append(remote)
    return fields


def _move(field: Any, frm: Customer, to: Customer) -> int:
    """Point ``field`` at the survivor. A row that would then break a unique rule (the
    survivor is already there, e.g. on a CC list) is the duplicate's copy: it is dropped."""
    manager = field.model._base_manager
    try:
        with transaction.atomic():
            return manager.filter(**{field.name: frm}).update(**{field.name: to})
    except IntegrityError:
        moved = 0
        for pk in manager.filter(**{field.name: frm}).values_list("pk", flat=True):
            try:
                with transaction.atomic():
                    moved += manager.filter(pk=pk).update(**{field.name: to})
            except IntegrityError:
                manager.filter(pk=pk).delete()
        return moved


@transaction.atomic
def merge_customers(survivor_id: int, duplicate_id: int, *, by: User) -> CustomerMerge:
    """Fold ``duplicate`` into ``survivor`` (the same person twice): its tickets, messages
    (ticket events), survey answers (they belong to its tickets), notes and everything else
    that names it move to the survivor; blanks of the survivor (phone, organization) are
    filled from it; it is deleted and the merge recorded. KPIs do not change: the metrics
    never depend on which customer record wrote a message (tests prove rows = a rebuild)."""
    if not permissions.can_merge_customers(by):
        raise NotAllowed("Only managers and directors merge customers.")
    if survivor_id == duplicate_id:
        raise InvalidInput(
            "A customer cannot be merged with itself.",
            fields={"duplicate": ["Choose another customer."]},
        )
    # Lock both in a fixed order, so two crossed merges cannot deadlock.
    locked = {
        c.pk: c
        for c in Customer.objects.select_for_update()
        .filter(pk__in=[survivor_id, duplicate_id])
        .order_by("pk")
    }
    for pk, name in ((survivor_id, "survivor"), (duplicate_id, "duplicate")):
        if pk not in locked:
            raise InvalidInput(
                f"Customer {pk} does not exist.", fields={name: ["No such customer."]}
            )
    survivor, duplicate = locked[survivor_id], locked[duplicate_id]
    moved: dict[str, int] = {}
    for field in _references_to_customer():
        n = _move(field, duplicate, survivor)
        if n:
            key = f"{field.model._meta.model_name}.{field.name}"
            moved[key] = moved.get(key, 0) + n
    survivor.phone = survivor.phone or duplicate.phone
    survivor.organization_id = survivor.organization_id or duplicate.organization_id
    survivor._change_reason = f"Merged {duplicate.email} into this customer"  # type: ignore[attr-defined]
    survivor.save()
    merge = CustomerMerge.objects.create(
        survivor=survivor,
        merged_customer_id=duplicate.pk,
        merged_name=duplicate.name,
        merged_email=duplicate.email,
        merged_phone=duplicate.phone,
        moved=moved,
        by=by,
        at=timezone.now(),
    )
    duplicate._change_reason = f"Merged into customer {survivor.pk} ({survivor.email})"  # type: ignore[attr-defined]
    duplicate.delete()
    return merge
