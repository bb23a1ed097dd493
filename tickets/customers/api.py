"""/api/v1/customers/: list (search by name, email or organization), detail, create, edit
contact details, merge a duplicate. The same scope and rules as the pages: reps see the
customers of tickets they may see, managers and directors all; merging is for managers and
up (``permissions.can_merge_customers``)."""

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
from tickets.api.serializers import CustomerCreateInput, CustomerSerializer, InputSerializer
from tickets.api.views import Pagination
from tickets.customers import selectors, services
from tickets.models import Customer


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
