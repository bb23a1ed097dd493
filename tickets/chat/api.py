"""/api/v1/chat-channels/: list, read, create, change (PATCH) and delete a team's chat
channels, list one's deliveries, and send it a test message. Managers for their teams,
directors and admins for all, as on the chat page; field types are checked by the input
serializer (400), the channel as a whole and the team's scope by the service (422, 403)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers

from staffing.models import Team
from tickets.chat import services
from tickets.chat.models import CHAT_EVENTS, ChatChannel, ChatDelivery, ChatKind
from tickets.endpoint_api import EndpointViewSet, endpoint_schema


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


@endpoint_schema
class ChatChannelViewSet(EndpointViewSet):
    queryset = ChatChannel.objects.none()  # for the schema; requests use get_queryset
    serializer_class = ChatChannelSerializer
    input_class = ChatChannelInput
    delivery_class = ChatDeliverySerializer
    label = "Chat channel"
    access = staticmethod(services.access_channel)
    create_one = staticmethod(services.create_channel)
    update_one = staticmethod(services.update_channel)
    delete_one = staticmethod(services.delete_channel)
    send_test = staticmethod(services.send_test)

    def get_queryset(self) -> QuerySet[ChatChannel]:
        return services.channels_for(self.request.user).order_by("team__name", "name", "pk")

    def deliveries_of(self, endpoint: ChatChannel) -> QuerySet[ChatDelivery]:
        return ChatDelivery.objects.filter(channel=endpoint)
