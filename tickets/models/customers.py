from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords


class Organization(models.Model):
    name = models.CharField(max_length=120, unique=True)
    domain = models.CharField(max_length=120, blank=True)
    history = HistoricalRecords()  # edits on the organization page and in the admin

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CustomerQuerySet(models.QuerySet["Customer"]):
    def with_email(self, email: str) -> CustomerQuerySet:
        """The customer with this address, case-insensitively, through the ``LOWER(email)``
        unique index (``email__iexact`` compiles to ``UPPER()``, which no index serves: a scan
        of every customer per inbound message)."""
        return self.alias(email_key=Lower("email")).filter(email_key=email.strip().lower())


class Customer(models.Model):
    """Someone who contacts the department. Customers never log in to the console."""

    name = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="customers"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Contact edits and merges (the merged record's deletion says which survivor).
    history = HistoricalRecords()

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="customer_email_unique_ci",
                violation_error_message="A customer with this email already exists.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
