"""Every write to tickets goes through these functions (one per use case)."""

from tickets.services.customers import find_or_create_customer
from tickets.services.tickets import (
    UNSET,
    claim,
    create_ticket,
    customer_reply,
    reply,
    update_ticket,
)

__all__ = [
    "UNSET",
    "claim",
    "create_ticket",
    "customer_reply",
    "find_or_create_customer",
    "reply",
    "update_ticket",
]
