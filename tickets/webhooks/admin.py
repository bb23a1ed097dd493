"""Webhooks in the admin: subscriptions are created and changed through the services (so a new
one gets a secret and an owner, and resuming clears the failure streak); deliveries and their
attempts are read-only logs."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from csops.errors import DomainError
from tickets.webhooks import services
from tickets.webhooks.forms import SubscriptionForm
from tickets.webhooks.models import DeliveryAttempt, WebhookDelivery, WebhookSubscription


class SubscriptionAdminForm(forms.ModelForm):
    url = SubscriptionForm.base_fields["url"]
    events = SubscriptionForm.base_fields["events"]

    class Meta:
        model = WebhookSubscription
        fields = ("name", "url", "events", "active")

    def clean(self) -> dict:
        data = super().clean() or {}
        try:
            services.check_fields({k: data[k] for k in services.FIELDS if k in data})
        except DomainError as exc:
            for name, errors in exc.fields.items():
                for error in errors:
                    self.add_error(name if name in self.fields else None, error)
        return data


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionAdminForm
    list_display = ("name", "url", "active", "failure_streak", "paused_at", "owner", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "url")
    fields = ("name", "url", "events", "active", "owner", "failure_streak", "paused_at")
    readonly_fields = ("owner", "failure_streak", "paused_at")
    actions = ["send_test"]

    def save_model(self, request, obj, form, change) -> None:
        values = {name: form.cleaned_data[name] for name in services.FIELDS}
        try:
            if change:
                saved = services.update_subscription(obj.pk, by=request.user, **values)
            else:
                saved = services.create_subscription(by=request.user, **values)
        except DomainError as exc:
            self.message_user(request, f"{exc.detail} {exc.fields}", messages.ERROR)
            return
        obj.pk = saved.pk

    @admin.action(description="Send a test event to the selected webhooks")
    def send_test(self, request, queryset) -> None:
        for pk in queryset.values_list("pk", flat=True):
            services.send_test(pk, by=request.user)
        self.message_user(request, f"{queryset.count()} test event(s) queued.")


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "at", "status_code", "duration_ms", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("uuid", "subscription", "event", "state", "attempts", "last_status_code",
                    "created_at", "finished_at")  # fmt: skip
    list_filter = ("state", "subscription")
    search_fields = ("=uuid", "event__type")
    list_select_related = ("subscription", "event")
    inlines = [AttemptInline]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
