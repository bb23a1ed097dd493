"""/api/v1/incidents/: list, read, declare and edit (PATCH) incidents; link tickets and
unlink one (DELETE .../tickets/{ticket_id}/), post an update (delivered asynchronously: 202
with the update's progress row), resolve. Managers of the incident's team and directors
only, as on the pages; a resolved incident refuses every change (422)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses, path_pk
from csops.errors import NotAllowed
from staffing.models import Team
from tickets.api.views import Pagination
from tickets.models import Incident, IncidentUpdate
from tickets.models.incidents import Severity
from tickets.services import incidents as services


class IncidentUpdateSerializer(serializers.ModelSerializer):
    posted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = IncidentUpdate
        fields = ["id", "kind", "body", "posted_by", "posted_at", "total", "done", "finished_at"]
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer):
    declared_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    tickets = serializers.SerializerMethodField()
    updates = IncidentUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "title",
            "severity",
            "description",
            "customer_update",
            "team",
            "state",
            "declared_by",
            "declared_at",
            "resolved_at",
            "tickets",
            "updates",
        ]
        read_only_fields = fields

    def get_tickets(self, incident: Incident) -> list[int]:
        return sorted(link.ticket_id for link in incident.links.all())


class DeclareInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    severity = serializers.ChoiceField(choices=Severity.choices)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    description = serializers.CharField()
    customer_update = serializers.CharField()


class IncidentEditInput(serializers.Serializer):
    """The declared fields an edit may change; those left out stay as they are."""

    title = serializers.CharField(max_length=200, required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    description = serializers.CharField(required=False)


class LinkInput(serializers.Serializer):
    tickets = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False)


class UpdateInput(serializers.Serializer):
    body = serializers.CharField()


class ResolveInput(serializers.Serializer):
    solve_tickets = serializers.BooleanField(default=False)
    closing_message = serializers.CharField(required=False, allow_blank=True, default="")


def _validated(
    cls: type[serializers.Serializer], request: Request, *, partial: bool = False
) -> dict:
    serializer = cls(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(responses={200: IncidentSerializer(many=True), **error_responses(403)}),
    retrieve=extend_schema(responses={200: IncidentSerializer, **error_responses(403, 404)}),
)
class IncidentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Incident.objects.none()  # for the schema; requests use get_queryset (scoped)
    serializer_class = IncidentSerializer
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Incident]:
        if not permissions.can_handle_incidents(self.request.user):
            raise NotAllowed("Only managers and directors handle incidents.")
        qs = Incident.objects.prefetch_related("links", "updates__posted_by")
        return permissions.scope_incidents(self.request.user, qs.select_related("declared_by"))

    def _read(self, pk: int) -> Response:
        incident = permissions.access_incident(self.request.user, pk)
        incident = self.get_queryset().get(pk=incident.pk)
        return Response(IncidentSerializer(incident).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._read(path_pk(pk, "Incident"))

    @extend_schema(
        request=DeclareInput, responses={201: IncidentSerializer, **error_responses(400, 403, 422)}
    )
    def create(self, request: Request) -> Response:
        incident = services.declare(by=request.user, **_validated(DeclareInput, request))
        response = self._read(incident.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=IncidentEditInput,
        responses={200: IncidentSerializer, **error_responses(400, 403, 404, 422)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        data = _validated(IncidentEditInput, request, partial=True)
        services.edit(path_pk(pk, "Incident"), by=request.user, **data)
        return self._read(path_pk(pk, "Incident"))

    @extend_schema(
        request=LinkInput,
        responses={200: IncidentSerializer, **error_responses(400, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str) -> Response:
        data = _validated(LinkInput, request)
        services.link_tickets(path_pk(pk, "Incident"), by=request.user, ticket_ids=data["tickets"])
        return self._read(path_pk(pk, "Incident"))

    @extend_schema(
        request=None,
        responses={200: IncidentSerializer, **error_responses(403, 404, 422)},
        parameters=[
            OpenApiParameter("ticket_id", int, OpenApiParameter.PATH, description="Ticket id")
        ],
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"tickets/(?P<ticket_id>[^/.]+)",
        url_name="unlink",
    )
    def unlink(self, request: Request, pk: str, ticket_id: str) -> Response:
        """Unlink one ticket; 404 if it is not linked (or no longer)."""
        incident_id = path_pk(pk, "Incident")
        ticket = path_pk(
            ticket_id, "Ticket", qualifier=f" or is not linked to incident #{incident_id}"
        )
        services.unlink_ticket(incident_id, by=request.user, ticket_id=ticket)
        return self._read(incident_id)

    @extend_schema(
        request=UpdateInput,
        responses={202: IncidentUpdateSerializer, **error_responses(400, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"])
    def updates(self, request: Request, pk: str) -> Response:
        data = _validated(UpdateInput, request)
        update = services.post_update(path_pk(pk, "Incident"), by=request.user, body=data["body"])
        return Response(IncidentUpdateSerializer(update).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=ResolveInput,
        responses={200: IncidentSerializer, **error_responses(400, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        data = _validated(ResolveInput, request)
        services.resolve(path_pk(pk, "Incident"), by=request.user, **data)
        return self._read(path_pk(pk, "Incident"))
