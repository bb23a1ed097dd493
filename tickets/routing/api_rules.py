"""/api/v1/skill-rules/: the rules that give new tickets their required skills. Reads:
managers (their teams' rules and the rules for every team) and directors; writes: a team's
managers for its rules, directors for all (``tickets.routing.skill_rules``)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from csops.api_schema import error_responses, path_pk
from policies.models import Category
from staffing.models import Skill, Team
from tickets.api.serializers import InputSerializer
from tickets.api.views import Pagination
from tickets.models import Channel, Organization, Priority
from tickets.routing import skill_rules
from tickets.routing.models import SkillRule


class SkillRuleSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    category = serializers.IntegerField(source="category_id", allow_null=True)
    language = serializers.CharField()
    channel = serializers.CharField()
    priority = serializers.CharField()
    organization = serializers.IntegerField(source="organization_id", allow_null=True)
    skills = serializers.SerializerMethodField()
    active = serializers.BooleanField()

    def get_skills(self, rule: SkillRule) -> list[int]:
        return sorted(s.pk for s in rule.skills.all())


class SkillRuleInput(InputSerializer):
    name = serializers.CharField(max_length=120)
    skills = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.all(), many=True)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), allow_null=True, required=False,
        help_text="Only this team's new tickets; empty: every team (directors only).",
    )  # fmt: skip
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), allow_null=True, required=False
    )
    language = serializers.CharField(max_length=20, allow_blank=True, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, allow_blank=True, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, allow_blank=True, required=False)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), allow_null=True, required=False
    )
    active = serializers.BooleanField(required=False)


@extend_schema_view(
    list=extend_schema(responses={200: SkillRuleSerializer(many=True), **error_responses(403)}),
    retrieve=extend_schema(responses={200: SkillRuleSerializer, **error_responses(403, 404)}),
    create=extend_schema(
        request=SkillRuleInput,
        responses={201: SkillRuleSerializer, **error_responses(400, 403, 422)},
    ),
    partial_update=extend_schema(
        request=SkillRuleInput,
        responses={200: SkillRuleSerializer, **error_responses(400, 403, 404, 422)},
    ),
    destroy=extend_schema(responses={204: None, **error_responses(403, 404)}),
)
class SkillRuleViewSet(viewsets.GenericViewSet):
    """Every set condition must match a new ticket for the rule's skills to be required."""

    queryset = SkillRule.objects.none()
    serializer_class = SkillRuleSerializer
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[SkillRule]:
        return skill_rules.visible_rules(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SkillRuleSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        rule = skill_rules.access_rule(request.user, path_pk(pk, "Skill rule"))
        return Response(SkillRuleSerializer(rule).data)

    def create(self, request: Request) -> Response:
        data = SkillRuleInput(data=request.data)
        data.is_valid(raise_exception=True)
        rule = skill_rules.create_rule(by=request.user, **data.validated_data)
        return Response(SkillRuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        data = SkillRuleInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        rule = skill_rules.update_rule(
            path_pk(pk, "Skill rule"), by=request.user, **data.validated_data
        )
        return Response(SkillRuleSerializer(rule).data)

    def destroy(self, request: Request, pk: str) -> Response:
        skill_rules.delete_rule(path_pk(pk, "Skill rule"), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
