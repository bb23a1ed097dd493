"""The policy API (/api/v1/policies/, …/versions/, /api/v1/acknowledgments/, /api/v1/macros/).

Reads for every staff member, scoped like the pages (reps see published versions only);
writes validate with an input serializer and call the same services as the pages, so the
role rules (managers draft, directors or the named approver approve, directors publish) are
written once, in ``csops.permissions`` and the services.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from csops import permissions
from csops.api_schema import error_responses
from csops.errors import NotFound
from policies.api import serializers_documents as s
from policies.filters_documents import DocumentFilter
from policies.models import Acknowledgment, Macro, PolicyDocument
from policies.services import acknowledgments as ack_services
from policies.services import documents as services
from policies.services import macros as macro_services


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def _validated(serializer_class: type[Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"{what} #{value} does not exist.") from None


@extend_schema_view(
    list=extend_schema(summary="Policies and procedures (search q, kind, category, state, owner)"),
    retrieve=extend_schema(responses={200: s.DocumentSerializer, **error_responses(404)}),
)
class DocumentViewSet(viewsets.GenericViewSet):
    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilter
    pagination_class = Pagination
    queryset = PolicyDocument.objects.all()
    lookup_value_regex = "[^/]+"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.DocumentSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        document = permissions.access_policy_document(request.user, _int(pk, "Policy"))
        return Response(s.DocumentSerializer(document).data)

    @extend_schema(
        request=s.DocumentInput,
        responses={201: s.VersionSerializer, **error_responses(400, 403, 422)},
    )
    def create(self, request: Request) -> Response:
        data = _validated(s.DocumentInput, request)
        version = services.create_document(by=request.user, **data)
        return Response(s.VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.DocumentUpdateInput,
        responses={200: s.DocumentSerializer, **error_responses(400, 403, 404, 422)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        document = permissions.access_policy_document(request.user, _int(pk, "Policy"))
        permissions.ensure_policy_role(permissions.can_edit_policies(request.user), "edit policies")
        data = _validated(s.DocumentUpdateInput, request)
        document = services.update_document(document.pk, by=request.user, **data)
        return Response(s.DocumentSerializer(document).data)


def _version_of(request: Request, document_pk: str, pk: str):
    version = permissions.access_policy_version(request.user, _int(pk, "Version"))
    if version.document_id != _int(document_pk, "Policy"):
        raise NotFound(f"Version #{pk} does not belong to policy #{document_pk}.")
    return version


class VersionViewSet(viewsets.GenericViewSet):
    serializer_class = s.VersionSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet:
        from policies.models import PolicyVersion

        return PolicyVersion.objects.none()

    @extend_schema(responses={200: s.VersionSerializer(many=True), **error_responses(404)})
    def list(self, request: Request, document_pk: str) -> Response:
        document = permissions.access_policy_document(request.user, _int(document_pk, "Policy"))
        qs = permissions.scope_policy_versions(request.user, document.versions.all())
        qs = qs.select_related("author").prefetch_related("ack_teams", "transitions__by")
        page = self.paginate_queryset(qs.order_by("-number"))
        return self.get_paginated_response(s.VersionSerializer(page, many=True).data)

    @extend_schema(
        request=None, responses={201: s.VersionSerializer, **error_responses(403, 404, 409)}
    )
    def create(self, request: Request, document_pk: str) -> Response:
        """Start a new draft from the latest version (published versions never change)."""
        document = permissions.access_policy_document(request.user, _int(document_pk, "Policy"))
        version = services.start_draft(document.pk, by=request.user)
        return Response(s.VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.VersionSerializer, **error_responses(404)})
    def retrieve(self, request: Request, document_pk: str, pk: str) -> Response:
        return Response(s.VersionSerializer(_version_of(request, document_pk, pk)).data)

    @extend_schema(
        request=s.VersionInput,
        responses={200: s.VersionSerializer, **error_responses(400, 403, 404, 422)},
    )
    def partial_update(self, request: Request, document_pk: str, pk: str) -> Response:
        version = _version_of(request, document_pk, pk)
        data = _validated(s.VersionInput, request)
        version = services.update_draft(version.pk, by=request.user, **data)
        return Response(s.VersionSerializer(version).data)

    @extend_schema(
        request=s.TransitionCommentInput,
        responses={200: s.VersionSerializer, **error_responses(403, 404, 422)},
    )
    def transition(self, request: Request, document_pk: str, pk: str, action: str) -> Response:
        version = _version_of(request, document_pk, pk)
        comment = _validated(s.TransitionCommentInput, request)["comment"]
        move = {
            "submit": services.submit,
            "approve": services.approve,
            "send-back": services.send_back,
            "publish": services.publish,
            "retire": services.retire,
        }[action]
        version = move(version.pk, by=request.user, comment=comment)
        return Response(s.VersionSerializer(version).data)

    @extend_schema(
        request=None, responses={200: s.AcknowledgmentSerializer, **error_responses(404, 422)}
    )
    def acknowledge(self, request: Request, document_pk: str, pk: str) -> Response:
        version = _version_of(request, document_pk, pk)
        ack = ack_services.acknowledge(version.pk, by=request.user)
        return Response(s.AcknowledgmentSerializer(ack).data)


@extend_schema_view(
    list=extend_schema(summary="Acknowledgments: yours; managers also their teams'; directors all")
)
class AcknowledgmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AcknowledgmentSerializer
    pagination_class = Pagination

    queryset = Acknowledgment.objects.none()  # for the schema; get_queryset scopes

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        qs = Acknowledgment.objects.select_related("user").order_by("due_at", "pk")
        scope = permissions.managed_team_scope(user)
        if scope is None:
            return qs
        return qs.filter(
            Q(user=user) | Q(user__teams__in=scope) | Q(user__managed_teams__in=scope)
        ).distinct()


class MacroViewSet(viewsets.GenericViewSet):
    serializer_class = s.MacroSerializer
    pagination_class = Pagination
    queryset = Macro.objects.prefetch_related("add_tags").order_by("title", "pk")
    lookup_value_regex = "[^/]+"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.MacroSerializer(page, many=True).data)

    @extend_schema(responses={200: s.MacroSerializer, **error_responses(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        macro = self.get_queryset().filter(pk=_int(pk, "Macro")).first()
        if macro is None:
            raise NotFound(f"Macro #{pk} does not exist.")
        return Response(s.MacroSerializer(macro).data)

    @extend_schema(
        request=s.MacroInput, responses={201: s.MacroSerializer, **error_responses(400, 403, 422)}
    )
    def create(self, request: Request) -> Response:
        macro = macro_services.create_macro(by=request.user, **_validated(s.MacroInput, request))
        return Response(s.MacroSerializer(macro).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MacroInput,
        responses={200: s.MacroSerializer, **error_responses(400, 403, 404, 422)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        permissions.ensure_policy_role(
            permissions.can_manage_macros(request.user), "maintain macros"
        )
        data = _validated(s.MacroInput, request)
        macro = macro_services.update_macro(_int(pk, "Macro"), by=request.user, **data)
        return Response(s.MacroSerializer(macro).data)
