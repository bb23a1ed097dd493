"""KPI API: the dashboard's summary and trends, and one ticket's metrics. Same rules as the
UI: managers and directors only, managers limited to their teams (``kpis.selectors``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses
from csops.errors import NotFound
from kpis import selectors
from kpis.api.serializers import (
    FilterInput,
    SummarySerializer,
    TicketMetricsSerializer,
    TimeseriesInput,
    TimeseriesSerializer,
)
from kpis.models import TicketMetricsRow


@extend_schema(
    summary="Dashboard tiles for a range, with the previous period",
    parameters=[FilterInput],
    responses={200: SummarySerializer, **error_responses(400, 403)},
)
@api_view(["GET"])
def summary(request: Request) -> Response:
    params = FilterInput(data=request.query_params)
    params.is_valid(raise_exception=True)
    result = selectors.summary(request.user, params.filter())
    return Response(SummarySerializer(result).data)


@extend_schema(
    summary="One metric per day, ISO week or month",
    parameters=[TimeseriesInput],
    responses={200: TimeseriesSerializer, **error_responses(400, 403)},
)
@api_view(["GET"])
def timeseries(request: Request) -> Response:
    params = TimeseriesInput(data=request.query_params)
    params.is_valid(raise_exception=True)
    f = params.filter()
    metric = params.validated_data["metric"]
    points = selectors.timeseries(request.user, f, metric)
    return Response(
        TimeseriesSerializer({"metric": metric, "grain": f.grain, "points": points}).data
    )


@extend_schema(
    summary="A ticket's metrics (KPI_SPEC §4) at its latest event",
    parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
    responses={200: TicketMetricsSerializer, **error_responses(403, 404)},
)
@api_view(["GET"])
def ticket_metrics(request: Request, id: int) -> Response:
    ticket = permissions.access_ticket(request.user, id)
    row = TicketMetricsRow.objects.filter(ticket_id=ticket.pk).first()
    if row is None:
        raise NotFound(f"Ticket #{ticket.pk} has no metrics yet; they appear within seconds.")
    return Response(TicketMetricsSerializer(row).data)
