"""/api/v1/escalation-rules/: list, read, create, change (PATCH) and delete the automatic
escalation rules. Directors (and admins) only, as on the rules page; a rule is checked by the
same ``rule_problems`` as the page's form (422 with the fields), its field types by the input
serializer (400)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses, path_pk
from csops.errors import NotAllowed, NotFound
from tickets.api.views import Pagination
from tickets.models import EscalationRule
from tickets.services import escalation_rules as services


class EscalationRuleSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = EscalationRule
        fields = ["id", *services.RULE_FIELDS, "created_by", "created_at", "updated_at"]
        read_only_fields = fields


class EscalationRuleInput(serializers.ModelSerializer):
    """Field types only (never saved): the service checks the rule as a whole."""

    class Meta:
        model = EscalationRule
        fields = list(services.RULE_FIELDS)


def _ensure_director(request: Request) -> None:
    if not permissions.can_manage_escalation_rules(request.user):
        raise NotAllowed("Only directors manage escalation rules.")


def _validated(request: Request, *, partial: bool = False) -> dict:
    serializer = EscalationRuleInput(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(
        responses={200: EscalationRuleSerializer(many=True), **error_responses(403)}
    ),
)
class EscalationRuleViewSet(viewsets.GenericViewSet):
    queryset = EscalationRule.objects.none()  # for the schema; requests use get_queryset
    serializer_class = EscalationRuleSerializer
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[EscalationRule]:
        _ensure_director(self.request)
        return EscalationRule.objects.select_related("created_by").order_by("position", "pk")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(EscalationRuleSerializer(page, many=True).data)

    def _read(self, pk: int) -> Response:
        rule = self.get_queryset().filter(pk=pk).first()
        if rule is None:
            raise NotFound(f"Rule #{pk} does not exist.")
        return Response(EscalationRuleSerializer(rule).data)

    @extend_schema(responses={200: EscalationRuleSerializer, **error_responses(403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._read(path_pk(pk, "Rule"))

    @extend_schema(
        request=EscalationRuleInput,
        responses={201: EscalationRuleSerializer, **error_responses(400, 403, 422)},
    )
    def create(self, request: Request) -> Response:
        _ensure_director(request)
        rule = services.create_rule(by=request.user, **_validated(request))
        response = self._read(rule.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=EscalationRuleInput,
        responses={200: EscalationRuleSerializer, **error_responses(400, 403, 404, 422)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        _ensure_director(request)
        rule_id = path_pk(pk, "Rule")
        services.update_rule(rule_id, by=request.user, **_validated(request, partial=True))
        return self._read(rule_id)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_rule(path_pk(pk, "Rule"), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
