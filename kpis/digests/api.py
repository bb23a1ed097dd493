"""/api/v1/kpi-digests/: one's own KPI digest subscriptions. List, read, subscribe (POST: a
second POST for the same cadence changes it), unsubscribe (DELETE), list a subscription's
deliveries and ask for a preview mail. Same rules as the dashboard's panel
(``kpis.digests.services``, ``csops.permissions``): managers their teams, directors any."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import include, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from csops import permissions
from csops.api_schema import error_responses, path_pk
from kpis.digests import services
from kpis.digests.models import Cadence, DigestDelivery, DigestSubscription


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


class DigestSubscriptionSerializer(serializers.ModelSerializer):
    teams = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = DigestSubscription
        fields = ["id", "cadence", "teams", "business_hours", "active", "since", "created_at"]
        read_only_fields = fields


class DigestSubscriptionInput(serializers.Serializer):
    """Field types only (never saved): the service checks scope and teams."""

    cadence = serializers.ChoiceField(choices=Cadence.choices)
    teams = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        default=list,
        max_length=200,
        help_text="Team ids, one section each; empty: the whole of your scope in one section.",
    )
    business_hours = serializers.BooleanField(required=False, default=False)


class DigestDeliverySerializer(serializers.ModelSerializer):
    outbox_state = serializers.CharField(source="message.state", default=None, read_only=True)

    class Meta:
        model = DigestDelivery
        fields = ["period_start", "period_end", "state", "note", "as_of", "created_at",
                  "outbox_state"]  # fmt: skip
        read_only_fields = fields


class PreviewSerializer(serializers.Serializer):
    message = serializers.IntegerField(help_text="The outbox message's id.")
    recipient = serializers.EmailField()
    subject = serializers.CharField()


@extend_schema_view(
    list=extend_schema(
        responses={200: DigestSubscriptionSerializer(many=True), **error_responses(403)}
    ),
)
class DigestSubscriptionViewSet(viewsets.GenericViewSet):
    queryset = DigestSubscription.objects.none()  # for the schema; requests use get_queryset
    serializer_class = DigestSubscriptionSerializer
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[DigestSubscription]:
        permissions.ensure_can_view_dashboard(self.request.user)
        return (
            DigestSubscription.objects.filter(user_id=self.request.user.pk)
            .prefetch_related("teams")
            .order_by("cadence", "pk")
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DigestSubscriptionSerializer(page, many=True).data)

    def _read(self, pk: int) -> Response:
        permissions.ensure_can_view_dashboard(self.request.user)
        sub = services.access_subscription(self.request.user, pk)
        return Response(DigestSubscriptionSerializer(sub).data)

    @extend_schema(responses={200: DigestSubscriptionSerializer, **error_responses(403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._read(path_pk(pk, "Digest subscription"))

    @extend_schema(
        request=DigestSubscriptionInput,
        responses={201: DigestSubscriptionSerializer, **error_responses(400, 403, 422)},
    )
    def create(self, request: Request) -> Response:
        permissions.ensure_can_view_dashboard(request.user)
        data = DigestSubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        sub = services.subscribe(by=request.user, **data.validated_data)
        response = self._read(sub.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def destroy(self, request: Request, pk: str) -> Response:
        permissions.ensure_can_view_dashboard(request.user)
        services.unsubscribe(path_pk(pk, "Digest subscription"), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={200: DigestDeliverySerializer(many=True), **error_responses(403, 404)}
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str) -> Response:
        permissions.ensure_can_view_dashboard(request.user)
        sub = services.access_subscription(request.user, path_pk(pk, "Digest subscription"))
        rows = DigestDelivery.objects.filter(subscription=sub).select_related("message")
        page = self.paginate_queryset(rows.order_by("-period_start", "-pk"))
        return self.get_paginated_response(DigestDeliverySerializer(page, many=True).data)

    @extend_schema(
        request=None, responses={202: PreviewSerializer, **error_responses(403, 404, 422)}
    )
    @action(detail=True, methods=["post"])
    def preview(self, request: Request, pk: str) -> Response:
        permissions.ensure_can_view_dashboard(request.user)
        message = services.send_preview(path_pk(pk, "Digest subscription"), by=request.user)
        body = {"message": message.pk, "recipient": message.recipients[0],
                "subject": message.subject}  # fmt: skip
        return Response(PreviewSerializer(body).data, status=status.HTTP_202_ACCEPTED)


router = SimpleRouter()
router.register("kpi-digests", DigestSubscriptionViewSet, basename="digest")
urlpatterns = [path("", include((router.urls, "digests-api")))]
