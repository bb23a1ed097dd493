"""Bulk actions in the admin: read-only records of who did what to how many tickets."""

from __future__ import annotations

from django.contrib import admin

from csops.admin_people import PeopleAdminMixin, person
from tickets.bulk.models import BulkAction, BulkResult


class BulkResultInline(admin.TabularInline):
    model = BulkResult
    extra = 0
    can_delete = False
    readonly_fields = ["ticket_id", "ok", "error"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BulkAction)
class BulkActionAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "kind", person("created_by"), "total", "done", "succeeded", "state",
                    "created_at"]  # fmt: skip
    list_filter = ["kind", "state"]
    list_select_related = ["created_by"]
    inlines = [BulkResultInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in BulkAction._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
