"""Moved to ``tickets.customers.services`` (customers have their own sub-package); kept so
callers written against this path keep working."""

from tickets.customers.services import find_or_create_customer

__all__ = ["find_or_create_customer"]
