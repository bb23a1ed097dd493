"""API serializers.

Output serializers only read (every field is read-only). Input serializers only validate:
the view hands ``validated_data`` to one ``tickets.services`` function, which does the write
and enforces scope, versions and transitions. Nothing here saves a model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework import serializers

from csops.api_schema import ErrorSerializer  # noqa: F401  (re-exported for the ticket API)
from csops.bounds import column_bounds
from policies.models import Category, Tag
from staffing.models import Team
from tickets import services
from tickets.models import (
    Attachment,
    Channel,
    Customer,
    Organization,
    OutboundMessage,
    Priority,
    Status,
    Ticket,
    TicketEvent,
)

# --- Output ---------------------------------------------------------------------------------


class UserRefSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields

    def get_name(self, user: User) -> str:
        return user.get_full_name() or user.get_username()


class TeamRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class CustomerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "email"]
        read_only_fields = fields


class OrganizationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name"]
        read_only_fields = fields


class TicketSerializer(serializers.ModelSerializer):
    """One row of the ticket list. Relations must be select/prefetch-related by the caller."""

    team = TeamRefSerializer(read_only=True)
    assignee = UserRefSerializer(read_only=True, allow_null=True)
    requester = CustomerRefSerializer(read_only=True)
    category = CategoryRefSerializer(read_only=True, allow_null=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Ticket
        fields = [
            "id",
            "subject",
            "status",
            "priority",
            "channel",
            "initiated_by",
            "team",
            "assignee",
            "requester",
            "category",
            "tags",
            "version",
            "created_at",
            "updated_at",
            "solved_at",
        ]
        read_only_fields = fields


class TicketDetailSerializer(TicketSerializer):
    class Meta(TicketSerializer.Meta):
        fields = [
            *TicketSerializer.Meta.fields[:2],
            "description",
            *TicketSerializer.Meta.fields[2:],
        ]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    """The email of a public reply (tickets.mail): queued, sent or failed."""

    recipients = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = OutboundMessage
        fields = ["state", "recipients", "message_id", "attempts", "last_error", "sent_at"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    """A file of a message; ``download`` is its API download path (only for people who may
    see the ticket)."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "filename", "content_type", "size", "sha256", "inline", "download"]
        read_only_fields = fields

    def get_download(self, obj: Attachment) -> str:
        return reverse("tickets-api:attachment-download", kwargs={"pk": obj.pk})


class TicketEventSerializer(serializers.ModelSerializer):
    """One entry of the event log; ``seq`` (the primary key) is the log's total order.
    ``delivery`` is the email of an agent's public reply, null for other events."""

    seq = serializers.IntegerField(source="pk", read_only=True)
    actor = UserRefSerializer(read_only=True, allow_null=True)
    customer = CustomerRefSerializer(read_only=True, allow_null=True)
    data = serializers.JSONField(read_only=True)
    delivery = DeliverySerializer(source="outbound", read_only=True, allow_null=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = TicketEvent
        fields = [
            "seq", "at", "type", "actor_role", "actor", "customer", "data", "body", "delivery",
            "attachments",
        ]  # fmt: skip
        read_only_fields = fields


class CustomerSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Customer
        fields = ["id", "name", "email", "phone", "organization", "created_at"]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------------


class InputSerializer(serializers.Serializer):
    """Base for request bodies: an unknown key is a 400, not a silently ignored typo."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


def _tags_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        many=True, slug_field="name", queryset=Tag.objects.all(), required=False
    )


class TicketCreateInput(InputSerializer):
    """Fields of ``services.create_ticket``; scope and assignee rules are the service's."""

    requester = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField()
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    channel = serializers.ChoiceField(choices=Channel.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    tags = _tags_field()
    initiated_by = serializers.ChoiceField(
        choices=[("customer", "Customer"), ("agent", "Agent")], required=False
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )


@column_bounds(Ticket)
class TicketUpdateInput(InputSerializer):
    """A partial edit. ``version`` is the one the client last read (optimistic lock)."""

    version = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    tags = _tags_field()
    confirm_open_children = serializers.BooleanField(
        required=False, default=False, help_text="Solve a parent even though children are open."
    )

    def service_kwargs(self) -> dict[str, Any]:
        """``services.update_ticket`` arguments: absent means "leave as is"."""
        data = self.validated_data
        return {
            "expected_version": data["version"],
            "status": data.get("status"),
            "priority": data.get("priority"),
            "team": data.get("team"),
            "assignee": data.get("assignee", services.UNSET),
            "category": data.get("category", services.UNSET),
            "tags": data.get("tags"),
            "confirm_open_children": data.get("confirm_open_children", False),
        }


@column_bounds(Ticket)
class ReplyInput(InputSerializer):
    body = serializers.CharField()
    public = serializers.BooleanField(help_text="true: reply to the customer; false: note.")
    status = serializers.ChoiceField(
        choices=Status.choices, required=False, help_text="Set this status after the message."
    )
    version = serializers.IntegerField(min_value=1)
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Files (multipart/form-data only), checked by content and size; a public "
        "reply's email carries them.",
    )
    confirm_open_children = serializers.BooleanField(
        required=False, default=False, help_text="Solve a parent even though children are open."
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "body": data["body"],
            "public": data["public"],
            "new_status": data.get("status"),
            "expected_version": data["version"],
            "attachments": data.get("attachments", []),
            "confirm_open_children": data.get("confirm_open_children", False),
        }


class CustomerMessageInput(InputSerializer):
    body = serializers.CharField(help_text="The customer's message, as plain text.")


class CustomerCreateInput(InputSerializer):
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)

    def validate_email(self, value: str) -> str:
        if Customer.objects.with_email(value).exists():
            raise serializers.ValidationError("A customer with this email already exists.")
        return value
