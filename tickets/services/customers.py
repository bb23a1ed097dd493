from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from csops.errors import InvalidInput, NotAllowed
from tickets.models import Customer


@transaction.atomic
def find_or_create_customer(*, by: User | None, email: str, name: str = "") -> Customer:
    """The customer with this email (case-insensitive), created if new."""
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
    return Customer.objects.create(email=email, name=name.strip() or email.split("@")[0])
