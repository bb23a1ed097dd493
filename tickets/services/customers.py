from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from csops.errors import InvalidInput, NotAllowed
from tickets.models import Customer


def find_or_create_customer(*, by: User | None, email: str, name: str = "") -> Customer:
    """The customer with this email (case-insensitive), created if new. Two concurrent
    calls with the same new email both get the one row the unique constraint lets in."""
    email = email.strip()
    if not email:
        raise InvalidInput(
            "An email is required.", fields={"email": ["Enter the customer's email."]}
        )
    customer = Customer.objects.filter(email__iexact=email).first()
    if customer is not None:
        return customer
    if by is not None and not by.has_perm("tickets.add_customer"):
        raise NotAllowed("You may not add customers.")
    try:
        with transaction.atomic():
            return Customer.objects.create(email=email, name=name.strip() or email.split("@")[0])
    except IntegrityError:
        return Customer.objects.get(email__iexact=email)
