"""Mailboxes (editable by admins) and the inbound records (read-only, failed ones visible and
retried through ``services.retry``)."""

from __future__ import annotations

from django.contrib import admin

from tickets.mail.inbound.models import InboundMessage, Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ("address", "team", "enabled", "imap_host", "imap_folder", "last_polled_at")
    list_filter = ("enabled", "team")
    search_fields = ("address", "imap_host", "imap_username")
    readonly_fields = ("uidvalidity", "last_uid", "last_polled_at", "last_error")
    fieldsets = (
        (None, {"fields": ("team", "address", "from_name", "enabled")}),
        (
            "IMAP",
            {
                "fields": (
                    "imap_host",
                    "imap_port",
                    "imap_security",
                    "imap_folder",
                    "imap_username",
                    "password_env",
                )
            },
        ),
        ("Poll state", {"fields": ("uidvalidity", "last_uid", "last_polled_at", "last_error")}),
    )


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = (
        "pk", "received_at", "source", "mailbox", "from_address", "subject", "state", "outcome",
        "ticket", "attempts",
    )  # fmt: skip
    list_filter = ("state", "source", "outcome", "mailbox")
    search_fields = ("message_id", "from_address", "subject", "sha256")
    raw_id_fields = ("ticket", "event")
    date_hierarchy = "received_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
