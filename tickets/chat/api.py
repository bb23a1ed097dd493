"""/api/v1/chat-channels/: list, read, create, change (PATCH) and delete a team's chat
channels, list one's deliveries, and send it a test message. Managers for their teams,
directors and admins for all, as on the chat page; field types are checked by the input
serializer (400), the channel as a whole and the team's scope by the service (422, 403)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from csops.api_schema import error_responses, path_pk
from csops.errors import NotFound
from staffing.models import Team
from tickets.api.views import Pagination
from tickets.chat import services
from tickets.chat.models import CHAT_EVENTS, ChatChannel, ChatDelivery, ChatKind


class ChatChannelSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = ChatChannel
        fields = ["id", "team", "team_name", "name", "kind", "url", "events", "active",
                  "failure_streak", "paused_at", "created_at"]  # fmt: skip
        read_only_fields = fields


class ChatChannelInput(serializers.Serializer):
    """Field types only (never saved): the service checks the channel and the team's scope."""

    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=ChatKind.choices)
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=CHAT_EVENTS))
    active = serializers.BooleanField(required=False, default=True)


class ChatDeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    title = serializers.CharField(source="notice.title", read_only=True)

    class Meta:
        model = ChatDelivery
        fields = ["id", "event", "title", "state", "attempts", "last_status_code",
                  "last_duration_ms", "last_error", "created_at", "finished_at"]  # fmt: skip
        read_only_fields = fields


def _validated(request: Request, *, partial: bool = False) -> dict:
    serializer = ChatChannelInput(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if partial:  # a PATCH changes only what it names (not the defaults)
        data = {k: v for k, v in data.items() if k in request.data}
    return data


@extend_schema_view(
    list=extend_schema(responses={200: ChatChannelSerializer(many=True), **error_responses(403)}),
)
class ChatChannelViewSet(viewsets.GenericViewSet):
    queryset = ChatChannel.objects.none()  # for the schema; requests use get_queryset
    serializer_class = ChatChannelSerializer
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[ChatChannel]:
        return services.channels_for(self.request.user).order_by("team__name", "name", "pk")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ChatChannelSerializer(page, many=True).data)

    def _read(self, pk: int) -> Response:
        channel = self.get_queryset().filter(pk=pk).first()
        if channel is None:
            raise NotFound(f"Chat channel #{pk} does not exist or is not of your teams.")
        return Response(ChatChannelSerializer(channel).data)

    @extend_schema(responses={200: ChatChannelSerializer, **error_responses(403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._read(path_pk(pk, "Chat channel"))

    @extend_schema(
        request=ChatChannelInput,
        responses={201: ChatChannelSerializer, **error_responses(400, 403, 422)},
    )
    def create(self, request: Request) -> Response:
        services.channels_for(request.user)  # 403 before the body is read
        channel = services.create_channel(by=request.user, **_validated(request))
        response = self._read(channel.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=ChatChannelInput,
        responses={200: ChatChannelSerializer, **error_responses(400, 403, 404, 422)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        channel_id = path_pk(pk, "Chat channel")
        services.access_channel(request.user, channel_id)  # 403/404 before the body is read
        services.update_channel(channel_id, by=request.user, **_validated(request, partial=True))
        return self._read(channel_id)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_channel(path_pk(pk, "Chat channel"), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: ChatDeliverySerializer(many=True), **error_responses(403, 404)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str) -> Response:
        channel = services.access_channel(request.user, path_pk(pk, "Chat channel"))
        rows = ChatDelivery.objects.filter(channel=channel).order_by("-pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ChatDeliverySerializer(page, many=True).data)

    @extend_schema(
        request=None, responses={202: ChatDeliverySerializer, **error_responses(403, 404)}
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        delivery = services.send_test(path_pk(pk, "Chat channel"), by=request.user)
        return Response(ChatDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
