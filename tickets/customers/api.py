"""/api/v1/customers/: list (search by name, email or organization), detail, create, edit
contact details, merge a duplicate; /api/v1/organizations/: list (search by name or domain)
and detail (people, open tickets, SLA attainment, CSAT), as the organization's page. The same
scope and rules as the pages: reps see the customers of tickets they may see, managers and
directors all; merging is for managers and up (``permissions.can_merge_customers``)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.request import Request
from rest_framework.response import Response

from csops.api_permissions import IsStaffMember
from csops.api_schema import error_responses, path_pk
from tickets.api.serializers import (
    CustomerCreateInput,
    CustomerRefSerializer,
    CustomerSerializer,
    InputSerializer,
)
from tickets.api.views import Pagination
from tickets.customers import selectors, services
from tickets.models import Customer, Organization, Ticket


class CustomerUpdateInput(InputSerializer):
    """Contact details; an absent field stays as it is. ``organization`` is a name (a new
    one creates the organization; empty removes it)."""

    name = serializers.CharField(max_length=120, required=False)
    email = serializers.EmailField(max_length=254, required=False)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    organization = serializers.CharField(max_length=120, required=False, allow_blank=True)


class CustomerMergeInput(InputSerializer):
    duplicate = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The id of the record folded into this one (and deleted).",
    )


class CustomerMergeSerializer(serializers.Serializer):
    survivor = CustomerSerializer()
    merged_customer_id = serializers.IntegerField()
    merged_email = serializers.EmailField()
    moved = serializers.DictField(child=serializers.IntegerField())


def _customer_id(value: str) -> int:
    return path_pk(value, "Customer", qualifier=" or has no ticket in your teams")


@extend_schema_view(
    list=extend_schema(
        summary="Customers you may see, searchable by name, email or organization (?search=)",
        responses={200: CustomerSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(responses={200: CustomerSerializer, **error_responses(403, 404)}),
)
class CustomerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    # DjangoModelPermissions: reads need a staff role only; POST needs tickets.add_customer.
    permission_classes = [IsStaffMember, DjangoModelPermissions]
    queryset = Customer.objects.none()  # for DjangoModelPermissions; get_queryset scopes
    serializer_class = CustomerSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Customer]:
        return selectors.customers_for(
            self.request.user, self.request.query_params.get("search", "")[:200]
        )

    def get_object(self) -> Customer:
        return selectors.customer_profile(
            self.request.user, _customer_id(self.kwargs["pk"])
        ).customer

    @extend_schema(
        request=CustomerCreateInput,
        responses={201: CustomerSerializer, **error_responses(400, 403, 422)},
    )
    def create(self, request: Request) -> Response:
        serializer = CustomerCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = services.find_or_create_customer(by=request.user, **serializer.validated_data)
        return Response(CustomerSerializer(customer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a customer's contact details",
        request=CustomerUpdateInput,
        responses={200: CustomerSerializer, **error_responses(400, 403, 404, 422)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        customer = self.get_object()
        serializer = CustomerUpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        current = {
            "name": customer.name,
            "email": customer.email,
            "phone": customer.phone,
            "organization": customer.organization.name if customer.organization else "",
        }
        saved = services.update_contact(customer.pk, by=request.user, **{**current, **data})
        return Response(CustomerSerializer(saved).data)

    @extend_schema(
        summary="Merge a duplicate record into this customer (managers and directors)",
        request=CustomerMergeInput,
        responses={200: CustomerMergeSerializer, **error_responses(400, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        survivor = self.get_object()
        serializer = CustomerMergeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        merge = services.merge_customers(
            survivor.pk, serializer.validated_data["duplicate"], by=request.user
        )
        merge.survivor.refresh_from_db()
        return Response(CustomerMergeSerializer(merge).data)


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "domain"]
        read_only_fields = fields


class OpenTicketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["id", "subject", "status", "priority", "updated_at"]
        read_only_fields = fields


class OrganizationDetailSerializer(serializers.Serializer):
    """The organization's page as data: figures over the tickets the reader may see."""

    id = serializers.IntegerField(source="organization.pk")
    name = serializers.CharField(source="organization.name")
    domain = serializers.CharField(source="organization.domain")
    people = CustomerRefSerializer(many=True, help_text="At most 200, by name.")
    open_count = serializers.IntegerField()
    open_tickets = OpenTicketSerializer(many=True, help_text="The most recently updated.")
    sla_achieved = serializers.IntegerField(source="sla.achieved")
    sla_breached = serializers.IntegerField(source="sla.breached")
    sla_attainment_percent = serializers.FloatField(source="sla.percent", allow_null=True)
    csat_answers = serializers.IntegerField(source="csat.answers")
    csat_percent = serializers.FloatField(source="csat.percent", allow_null=True)


@extend_schema_view(
    list=extend_schema(
        summary="Organizations you may see, searchable by name or domain (?search=)",
        responses={200: OrganizationSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="An organization's people, open tickets, SLA attainment and CSAT",
        responses={200: OrganizationDetailSerializer, **error_responses(403, 404)},
    ),
)
class OrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Reads only, scoped as the pages: reps see the organizations of their teams' customers,
    managers and directors all."""

    permission_classes = [IsStaffMember]
    serializer_class = OrganizationSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Organization]:
        return selectors.organizations_for(
            self.request.user, self.request.query_params.get("search", "")[:200]
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        organization_id = path_pk(pk, "Organization", qualifier=" or is not in your scope")
        profile = selectors.organization_profile(request.user, organization_id)
        return Response(OrganizationDetailSerializer(profile).data)
