"""Serializers of the policy API: output shapes and input validation (no writes here)."""

from __future__ import annotations

from django.contrib.auth.models import User
from rest_framework import serializers

from csops.bounds import column_bounds
from csops.roles import Role
from policies.models import (
    Acknowledgment,
    Category,
    Kind,
    Macro,
    PolicyDocument,
    PolicyVersion,
    Tag,
    VersionTransition,
)
from policies.models.macros import MACRO_PRIORITY_CHOICES, MACRO_STATUS_CHOICES
from staffing.models import Team

_STAFF = User.objects.filter(is_active=True, groups__isnull=False).distinct()
_APPROVERS = User.objects.filter(
    is_active=True, groups__name__in=[Role.MANAGER.value, Role.DIRECTOR.value, Role.ADMIN.value]
).distinct()


class TransitionSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = VersionTransition
        fields = ["from_state", "to_state", "by", "at", "comment"]


class VersionSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    ack_teams = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta:
        model = PolicyVersion
        fields = [
            "id", "document", "number", "state", "body", "body_html", "checklist",
            "change_summary", "effective_date", "author", "created_at", "updated_at",
            "published_at", "retired_at", "ack_required", "ack_roles", "ack_teams",
            "ack_within_days", "transitions",
        ]  # fmt: skip


class DocumentSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    approver = serializers.SlugRelatedField(slug_field="username", read_only=True)
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = PolicyDocument
        fields = [
            "id", "title", "kind", "categories", "tags", "owner", "approver",
            "allow_self_approval", "created_at", "updated_at",
        ]  # fmt: skip


class AcknowledgmentSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Acknowledgment
        fields = ["id", "version", "user", "requested_at", "due_at", "acknowledged_at",
                  "superseded_at"]  # fmt: skip


class MacroSerializer(serializers.ModelSerializer):
    add_tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Macro
        fields = ["id", "title", "body", "set_status", "set_priority", "add_tags", "policy",
                  "active", "created_at", "updated_at"]  # fmt: skip


# --- Input ----------------------------------------------------------------------------------


@column_bounds()
class VersionInput(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    checklist = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    change_summary = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                           default="")  # fmt: skip
    effective_date = serializers.DateField()
    ack_required = serializers.BooleanField(required=False, default=False)
    ack_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=[r.value for r in Role]), required=False, default=list
    )
    ack_teams = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), many=True, required=False, default=list
    )
    ack_within_days = serializers.IntegerField(min_value=1, max_value=365, default=7)


class DocumentInput(VersionInput):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Kind.choices)
    categories = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), many=True, required=False, default=list
    )
    tags = serializers.SlugRelatedField(
        slug_field="name", queryset=Tag.objects.all(), many=True, required=False, default=list
    )
    approver = serializers.SlugRelatedField(
        slug_field="username", queryset=_APPROVERS, required=False, allow_null=True, default=None
    )
    allow_self_approval = serializers.BooleanField(
        required=False, default=False, help_text="Directors and admins only."
    )


class DocumentUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Kind.choices)
    categories = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), many=True, required=False, default=list
    )
    tags = serializers.SlugRelatedField(
        slug_field="name", queryset=Tag.objects.all(), many=True, required=False, default=list
    )
    owner = serializers.SlugRelatedField(slug_field="username", queryset=_STAFF)
    approver = serializers.SlugRelatedField(
        slug_field="username", queryset=_APPROVERS, required=False, allow_null=True, default=None
    )
    allow_self_approval = serializers.BooleanField(
        required=False, help_text="Directors and admins only; left out, it stays as it is."
    )


class TransitionCommentInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class MacroInput(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(allow_blank=True)
    set_status = serializers.ChoiceField(choices=MACRO_STATUS_CHOICES, required=False, default="")
    set_priority = serializers.ChoiceField(
        choices=MACRO_PRIORITY_CHOICES, required=False, default=""
    )
    add_tags = serializers.SlugRelatedField(
        slug_field="name", queryset=Tag.objects.all(), many=True, required=False, default=list
    )
    policy = serializers.PrimaryKeyRelatedField(
        queryset=PolicyDocument.objects.all(), required=False, allow_null=True, default=None
    )
    active = serializers.BooleanField(required=False, default=True)
