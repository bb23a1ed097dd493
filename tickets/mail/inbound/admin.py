"""Mailboxes (editable by admins) and the inbound records (read-only, failed ones visible and
retried through ``services.retry``)."""

from __future__ import annotations

from django.contrib import admin, messages

from tickets.mail.inbound import services
from tickets.mail.inbound.models import InboundMessage, InboundState, Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = (
        "address", "team", "enabled", "imap_host", "imap_folder", "last_polled_at", "last_error"
    )  # fmt: skip
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
                    "imap_processed_folder",
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
    actions = ["retry"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Retry the selected failed messages")
    def retry(self, request, queryset) -> None:
        done, refused = 0, []
        for record in queryset.order_by("pk"):
            if record.state != InboundState.FAILED:
                refused.append(f"#{record.pk} is {record.get_state_display().lower()}")
                continue
            result = services.retry(record.pk)
            if result.state == InboundState.FAILED:
                refused.append(f"#{record.pk} failed again: {result.reason}")
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} message(s) processed.", messages.SUCCESS)
        if refused:
            self.message_user(request, "Not processed: " + "; ".join(refused), messages.WARNING)
