"""The outbox in the admin: read-only (rows are written by the reply services and the sender),
with an action that queues failed messages again through ``services.retry``."""

from __future__ import annotations

from django.contrib import admin, messages

from csops.errors import DomainError
from tickets.mail import services
from tickets.mail.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = (
        "pk", "ticket", "kind", "subject", "state", "attempts", "message_id", "created_at",
        "sent_at",
    )  # fmt: skip
    list_filter = ("state", "kind")
    search_fields = ("message_id", "subject", "recipients")
    raw_id_fields = ("ticket", "event")
    date_hierarchy = "created_at"
    actions = ["retry"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Retry the selected failed messages")
    def retry(self, request, queryset) -> None:
        queued, refused = 0, []
        for pk in queryset.values_list("pk", flat=True):
            try:
                services.retry(pk, by=request.user)
                queued += 1
            except DomainError as exc:
                refused.append(f"#{pk}: {exc}")
        if queued:
            self.message_user(request, f"{queued} message(s) queued again.", messages.SUCCESS)
        if refused:
            self.message_user(request, "Not retried: " + "; ".join(refused), messages.WARNING)
