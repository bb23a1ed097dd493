"""Chat channels and their deliveries in the admin (the URL is a secret of the chat tool:
only admins reach the admin)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from csops.parsers import JSON_FORM_FIELD
from tickets.chat.models import ChatChannel, ChatDelivery


class ChatDeliveryInline(admin.TabularInline):
    model = ChatDelivery
    extra = 0
    can_delete = False
    fields = ("event", "state", "attempts", "last_status_code", "last_duration_ms", "last_error",
              "created_at", "finished_at")  # fmt: skip
    readonly_fields = fields
    ordering = ("-pk",)
    max_num = 0
    show_change_link = True


@admin.register(ChatChannel)
class ChatChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "kind", "active", "failure_streak", "paused_at", "created_by")
    list_filter = ("kind", "active", "team")
    search_fields = ("name", "url", "team__name")
    raw_id_fields = ("created_by",)
    readonly_fields = ("failure_streak", "paused_at", "created_at")
    inlines = [ChatDeliveryInline]
    formfield_overrides = JSON_FORM_FIELD

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ChatDelivery)
class ChatDeliveryAdmin(admin.ModelAdmin):
    list_display = ("uuid", "channel", "event", "state", "attempts", "last_status_code",
                    "created_at")  # fmt: skip
    list_filter = ("state", "event")
    search_fields = ("uuid", "source", "channel__name")
    readonly_fields = [f.name for f in ChatDelivery._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
