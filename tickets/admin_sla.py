"""Admin for a ticket's SLA rows: derived data, browse-only (``tickets.services.sla`` and the
monitor write them)."""

from __future__ import annotations

from django.contrib import admin

from tickets.models import SlaAlert, TicketSlaBreach, TicketSlaInstance


class _DerivedAdmin(admin.ModelAdmin):
    search_fields = ["=ticket__pk"]
    list_select_related = ["ticket"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TicketSlaInstance)
class TicketSlaInstanceAdmin(_DerivedAdmin):
    list_display = ["ticket", "metric", "index", "state", "outcome", "due_at", "at_risk_at"]
    list_filter = ["metric", "state", "outcome", "business"]


@admin.register(TicketSlaBreach)
class TicketSlaBreachAdmin(_DerivedAdmin):
    list_display = ["ticket", "metric", "index", "breached_at"]
    list_filter = ["metric"]


@admin.register(SlaAlert)
class SlaAlertAdmin(_DerivedAdmin):
    list_display = ["ticket", "metric", "index", "kind", "at", "recorded_at"]
    list_filter = ["kind", "metric"]
