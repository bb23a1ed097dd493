"""Customer notes and merges in the admin. Merges are read-only records (they are made by
``services.merge_customers`` from the customer page or the API)."""

from __future__ import annotations

from django.contrib import admin

from tickets.models import CustomerMerge, CustomerNote


@admin.register(CustomerNote)
class CustomerNoteAdmin(admin.ModelAdmin):
    list_display = ("customer", "author", "created_at")
    search_fields = ("customer__name", "customer__email", "body")
    raw_id_fields = ("customer", "author")
    date_hierarchy = "created_at"


@admin.register(CustomerMerge)
class CustomerMergeAdmin(admin.ModelAdmin):
    list_display = ("merged_email", "survivor", "by", "at")
    search_fields = ("merged_email", "merged_name", "survivor__email")
    raw_id_fields = ("survivor", "by")
    date_hierarchy = "at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
