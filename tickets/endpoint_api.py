"""The API of an outgoing endpoint (a webhook subscription, a team's chat channel): list,
read, create, change (PATCH) and delete it, list its deliveries and send it a test. A
subclass names its serializers and its service's functions; field types are checked by the
input serializer (400), the endpoint as a whole and who may touch it by the service (422,
403, 404). ``endpoint_schema`` documents a subclass's operations with its serializers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from csops.api_schema import error_responses, path_pk
from tickets.api.views import Pagination


class EndpointViewSet(viewsets.GenericViewSet):
    # No docstring: the schema would show it on every operation of the subclasses.
    # ``get_queryset`` (the endpoints the person may see; 403 for who may see none) and
    # ``deliveries_of`` come from the subclass, with these:
    label: ClassVar[str]  # "Chat channel": the path id's name in errors
    input_class: ClassVar[type[serializers.Serializer]]
    delivery_class: ClassVar[type[serializers.Serializer]]
    # the service's functions (staticmethods): access(by, pk) → endpoint (403/404),
    # create_one(by=, **fields), update_one(pk, by=, **fields), delete_one(pk, by=) and
    # send_test(pk, by=) → its delivery
    access: Callable[[User, int], Model]
    create_one: Callable[..., Model]
    update_one: Callable[..., Any]
    delete_one: Callable[..., None]
    send_test: Callable[..., Model]

    pagination_class = Pagination
    lookup_value_regex = "[^/]+"

    def deliveries_of(self, endpoint: Any) -> QuerySet:
        raise NotImplementedError

    def _pk(self, pk: str) -> int:
        return path_pk(pk, self.label)

    def _validated(self, request: Request, *, partial: bool = False) -> dict:
        serializer = self.input_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if partial:  # a PATCH changes only what it names (not the defaults)
            data = {k: v for k, v in data.items() if k in request.data}
        return data

    def _read(self, pk: int) -> Response:
        return Response(self.serializer_class(self.access(self.request.user, pk)).data)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.serializer_class(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._read(self._pk(pk))

    def create(self, request: Request) -> Response:
        self.get_queryset()  # 403 before the body is read
        endpoint = self.create_one(by=request.user, **self._validated(request))
        response = self._read(endpoint.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    def partial_update(self, request: Request, pk: str) -> Response:
        endpoint_id = self._pk(pk)
        self.access(request.user, endpoint_id)  # 403/404 before the body is read
        changes = self._validated(request, partial=True)
        self.update_one(endpoint_id, by=request.user, **changes)
        return self._read(endpoint_id)

    def destroy(self, request: Request, pk: str) -> Response:
        self.delete_one(self._pk(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str) -> Response:
        endpoint = self.access(request.user, self._pk(pk))
        page = self.paginate_queryset(self.deliveries_of(endpoint).order_by("-pk"))
        return self.get_paginated_response(self.delivery_class(page, many=True).data)

    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        delivery = self.send_test(self._pk(pk), by=request.user)
        return Response(self.delivery_class(delivery).data, status=status.HTTP_202_ACCEPTED)


V = TypeVar("V", bound=type[EndpointViewSet])


def endpoint_schema(view: V) -> V:
    """Class decorator: document an ``EndpointViewSet`` subclass's operations with its
    serializers (drf-spectacular annotates the subclass's own copy of each inherited method)."""
    output, input_, delivery = view.serializer_class, view.input_class, view.delivery_class
    return extend_schema_view(
        list=extend_schema(responses={200: output(many=True), **error_responses(403)}),
        retrieve=extend_schema(responses={200: output, **error_responses(403, 404)}),
        create=extend_schema(
            request=input_, responses={201: output, **error_responses(400, 403, 422)}
        ),
        partial_update=extend_schema(
            request=input_, responses={200: output, **error_responses(400, 403, 404, 422)}
        ),
        destroy=extend_schema(responses={204: None, **error_responses(403, 404)}),
        deliveries=extend_schema(responses={200: delivery(many=True), **error_responses(403, 404)}),
        test=extend_schema(request=None, responses={202: delivery, **error_responses(403, 404)}),
    )(view)
