from __future__ import annotations

from django.db import models


class Category(models.Model):
    """The department's taxonomy of inquiries. Tickets are filed under one; policies and
    procedures say which categories they govern (so the taxonomy lives here, below tickets)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
