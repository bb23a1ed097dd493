"""Links in the admin: read-only (links are made through the services, which log them)."""

from __future__ import annotations

from django.contrib import admin

from csops.admin_people import PeopleAdminMixin, person
from tickets.links.models import TicketLink


@admin.register(TicketLink)
class TicketLinkAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "source", "kind", "target", person("created_by"), "created_at"]
    list_filter = ["kind"]
    search_fields = ["=source__pk", "=target__pk"]
    list_select_related = ["source", "target", "created_by"]
    raw_id_fields = ["source", "target"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in TicketLink._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
