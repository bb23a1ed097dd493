"""KPI digests in the admin: subscriptions (editable: an admin can switch one off) and their
deliveries (read-only: written by the digest run)."""

from __future__ import annotations

from django.contrib import admin

from kpis.digests.models import DigestDelivery, DigestSubscription


class DeliveryInline(admin.TabularInline):
    model = DigestDelivery
    fields = ("period_start", "period_end", "state", "note", "as_of", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ("-period_start",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "cadence", "business_hours", "active", "since", "created_at")
    list_filter = ("cadence", "active", "business_hours")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    raw_id_fields = ("user",)
    filter_horizontal = ("teams",)
    readonly_fields = ("since", "created_at")
    inlines = [DeliveryInline]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # people subscribe from the dashboard or the API


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ("pk", "subscription", "period_start", "period_end", "state", "as_of")
    list_filter = ("state", "subscription__cadence")
    search_fields = ("subscription__user__username", "note")
    date_hierarchy = "period_start"
    raw_id_fields = ("subscription", "message")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
