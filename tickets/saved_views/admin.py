"""Saved views in the admin."""

from __future__ import annotations

from django.contrib import admin

from csops.admin_people import PeopleAdminMixin, person
from csops.parsers import JSON_FORM_FIELD
from tickets.saved_views.models import SavedView


@admin.register(SavedView)
class SavedViewAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["name", person("owner"), "team", "updated_at"]
    list_filter = ["team"]
    list_select_related = ["owner", "team"]
    search_fields = ["name"]
    raw_id_fields = ["owner"]
    formfield_overrides = JSON_FORM_FIELD
