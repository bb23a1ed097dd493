"""/api/v1/skills/ (the catalog: every staff member reads, managers and up add) and
/api/v1/person-skills/ (held skills, scoped like other staff records; managers of the
person's team grant and revoke). ``valid`` says whether the skill counts today."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses, path_pk
from staffing.api.development import Pagination
from staffing.models import Certification, Course, PersonSkill, Skill, SkillKind
from staffing.services._common import today
from staffing.skills import selectors, services


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "kind", "name", "requires_certification", "requires_course", "active"]
        read_only_fields = fields


class SkillInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SkillKind.choices)
    name = serializers.CharField(max_length=80)
    requires_certification = serializers.PrimaryKeyRelatedField(
        queryset=Certification.objects.all(), required=False, allow_null=True
    )
    requires_course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.all(), required=False, allow_null=True
    )


class PersonSkillSerializer(serializers.ModelSerializer):
    skill_name = serializers.CharField(source="skill.name", read_only=True)
    valid = serializers.SerializerMethodField()

    class Meta:
        model = PersonSkill
        fields = ["id", "user", "skill", "skill_name", "level", "granted_at", "valid"]
        read_only_fields = fields

    def get_valid(self, obj: PersonSkill) -> bool:
        held = selectors.held_skills([obj.user_id], today(), skill_ids=[obj.skill_id])
        return any(h.valid for h in held.get(obj.user_id, []))


class PersonSkillInput(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    skill = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.filter(active=True))
    level = serializers.IntegerField(min_value=1, max_value=5, default=3)


class SkillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SkillSerializer
    pagination_class = Pagination
    queryset = Skill.objects.order_by("kind", "name")
    filterset_fields = ["kind", "active"]

    @extend_schema(
        request=SkillInput, responses={201: SkillSerializer, **error_responses(400, 403, 422)}
    )
    def create(self, request: Request) -> Response:
        data = SkillInput(data=request.data)
        data.is_valid(raise_exception=True)
        skill = services.create_skill(by=request.user, **data.validated_data)
        return Response(SkillSerializer(skill).data, status=status.HTTP_201_CREATED)


class PersonSkillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PersonSkillSerializer
    pagination_class = Pagination
    filterset_fields = ["user", "skill"]

    def get_queryset(self) -> QuerySet[PersonSkill]:
        qs = PersonSkill.objects.select_related("skill").order_by("user_id", "skill__name")
        return permissions.scope_staff_records(self.request.user, qs)

    @extend_schema(
        request=PersonSkillInput,
        responses={201: PersonSkillSerializer, **error_responses(400, 403, 422)},
    )
    def create(self, request: Request) -> Response:
        data = PersonSkillInput(data=request.data)
        data.is_valid(raise_exception=True)
        held = services.grant_skill(by=request.user, **data.validated_data)
        return Response(PersonSkillSerializer(held).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def destroy(self, request: Request, pk: str) -> Response:
        services.revoke_skill(path_pk(pk, "Skill record"), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
