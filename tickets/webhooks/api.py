"""/api/v1/webhooks/: list, read, create, change (PATCH) and delete subscriptions, list one's
deliveries with their attempts, and send it a test event. Directors and admins only, as on
the webhooks page; field types are checked by the input serializer (400), the subscription
as a whole by the service (422)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers

from csops import permissions
from tickets.endpoint_api import EndpointViewSet, endpoint_schema
from tickets.webhooks import services
from tickets.webhooks.models import (
    SUBSCRIBABLE,
    DeliveryAttempt,
    WebhookDelivery,
    WebhookSubscription,
)


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "events", "active", "secret", "owner",
                  "failure_streak", "paused_at", "created_at"]  # fmt: skip
        read_only_fields = fields


class WebhookSubscriptionInput(serializers.Serializer):
    """Field types only (never saved): the service checks the subscription."""

    name = serializers.CharField(max_length=100)
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=SUBSCRIBABLE))
    active = serializers.BooleanField(required=False, default=True)


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["number", "at", "status_code", "duration_ms", "error"]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    type = serializers.CharField(source="event.type", read_only=True)
    event_id = serializers.IntegerField(read_only=True)
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "type", "event_id", "state", "attempts", "last_status_code",
                  "last_error", "created_at", "finished_at", "attempt_log"]  # fmt: skip
        read_only_fields = fields


@endpoint_schema
class WebhookSubscriptionViewSet(EndpointViewSet):
    queryset = WebhookSubscription.objects.none()  # for the schema; requests use get_queryset
    serializer_class = WebhookSubscriptionSerializer
    input_class = WebhookSubscriptionInput
    delivery_class = WebhookDeliverySerializer
    label = "Webhook subscription"
    access = staticmethod(services.access_subscription)
    create_one = staticmethod(services.create_subscription)
    update_one = staticmethod(services.update_subscription)
    delete_one = staticmethod(services.delete_subscription)
    send_test = staticmethod(services.send_test)

    def get_queryset(self) -> QuerySet[WebhookSubscription]:
        permissions.ensure_can_manage_webhooks(self.request.user)
        return WebhookSubscription.objects.select_related("owner").order_by("name", "pk")

    def deliveries_of(self, endpoint: WebhookSubscription) -> QuerySet[WebhookDelivery]:
        return (
            WebhookDelivery.objects.filter(subscription=endpoint)
            .select_related("event")
            .prefetch_related("attempt_log")
        )
