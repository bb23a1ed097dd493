"""Attachments in the admin: read-only (files come in through ``services.attach`` only)."""

from __future__ import annotations

from django.contrib import admin

from tickets.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("pk", "filename", "content_type", "size", "ticket", "inline", "created_at")
    list_filter = ("content_type", "inline")
    search_fields = ("filename", "sha256", "=ticket__pk")
    raw_id_fields = ("ticket", "event", "uploaded_by")
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
