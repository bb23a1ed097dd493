"""People in the admin: list columns and drop-downs read "Rita Reyes (rita)", the name people
know and the username an admin searches and logs in by (``csops.people.name_and_username``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.contrib.auth import get_user_model

from csops.people import name_and_username


def person(field: str, description: str = "") -> Callable[[object], str]:
    """A ``list_display`` column for the user in ``field``, sortable by name."""

    @admin.display(
        description=description or field.replace("_", " ").capitalize(),
        ordering=f"{field}__first_name",
    )
    def column(obj: object) -> str:
        return name_and_username(getattr(obj, field))

    column.__name__ = f"{field}_person"
    return column


class PeopleAdminMixin:
    """Drop-downs of users on the change form read "Name (username)"."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.related_model is get_user_model():
            field.label_from_instance = name_and_username
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is get_user_model():
            field.label_from_instance = name_and_username
        return field
