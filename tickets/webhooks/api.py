"""/api/v1/webhooks/: list, read, create, change (PATCH) and delete subscriptions, list one's
deliveries with their attempts, and send it a test event. Directors and admins only, as on
the webhooks page; field types are checked by the input serializer (400), the subscription
as a whole by the service (422)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses, path_pk
from csops.errors import NotFound
from tickets.api.views import Pagination
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


def _validated(request: Request, *, partial: bool = False) -> dict:
    serializer = WebhookSubscriptionInput(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if partial:  # a PATCH changes only what it names (not the defaults)
        data = {k: v for k, v in data.items() if k in request.data}
    return data


@extend_schema_view(
    list=extend_schema(
        responses={200: WebhookSubscriptionSerializer(many=True), **error_responses(403)}
    ),
)
class WebhookSubscriptionViewSet(viewsets.GenericViewSet):
    queryset = WebhookSubscription.objects.none()  # for the schema; requests use get_queryset
    serializer_class = WebhookSubscriptionSerializer
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[WebhookSubscription]:
        permissions.ensure_can_manage_webhooks(self.request.user)
        return WebhookSubscription.objects.select_related("owner").order_by("name", "pk")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WebhookSubscriptionSerializer(page, many=True).data)

    def _read(self, pk: int) -> Response:
        sub = self.get_queryset().filter(pk=pk).first()
        if sub is None:
            raise NotFound(f"Webhook subscription #{pk} does not exist.")
        return Response(WebhookSubscriptionSerializer(sub).data)

    @extend_schema(responses={200: WebhookSubscriptionSerializer, **error_responses(403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._read(path_pk(pk, "Webhook subscription"))

    @extend_schema(
        request=WebhookSubscriptionInput,
        responses={201: WebhookSubscriptionSerializer, **error_responses(400, 403, 422)},
    )
    def create(self, request: Request) -> Response:
        permissions.ensure_can_manage_webhooks(request.user)
        sub = services.create_subscription(by=request.user, **_validated(request))
        response = self._read(sub.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=WebhookSubscriptionInput,
        responses={200: WebhookSubscriptionSerializer, **error_responses(400, 403, 404, 422)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        permissions.ensure_can_manage_webhooks(request.user)
        sub_id = path_pk(pk, "Webhook subscription")
        services.update_subscription(sub_id, by=request.user, **_validated(request, partial=True))
        return self._read(sub_id)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_subscription(path_pk(pk, "Webhook subscription"), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={200: WebhookDeliverySerializer(many=True), **error_responses(403, 404)}
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str) -> Response:
        sub = services.access_subscription(request.user, path_pk(pk, "Webhook subscription"))
        rows = (
            WebhookDelivery.objects.filter(subscription=sub)
            .select_related("event")
            .prefetch_related("attempt_log")
            .order_by("-pk")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(
        request=None, responses={202: WebhookDeliverySerializer, **error_responses(403, 404)}
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        delivery = services.send_test(path_pk(pk, "Webhook subscription"), by=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
