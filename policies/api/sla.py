"""SLA policies and business calendars in the API (/api/v1/sla-policies/, /api/v1/calendars/).

Reads for every staff member; writes (create, and update = a new version) call the same
services as the pages, which allow directors only (403 for others) and refuse bad input with
422 and field errors.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from csops.api_schema import path_pk
from csops.errors import InvalidInput, NotFound
from policies import selectors
from policies.api import serializers_sla as s
from policies.calendar_text import parse_holidays, parse_week
from policies.services import calendars as calendar_services
from policies.services import sla as sla_services
from policies.services.sla import PolicySpec, TargetSpec


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def _calendar_kwargs(data: dict) -> dict:
    errors = {}
    weekly = holidays = None
    try:
        weekly = parse_week(data["weekly"])
    except ValueError as exc:
        errors["weekly"] = [str(exc)]
    try:
        holidays = parse_holidays(data.get("holidays") or [])
    except ValueError as exc:
        errors["holidays"] = [str(exc)]
    if errors:
        raise InvalidInput("The calendar is not valid.", fields=errors)
    return {
        "time_zone": data["time_zone"],
        "weekly": weekly,
        "holidays": holidays,
        "effective_from": data.get("effective_from"),
    }


@extend_schema_view(
    list=extend_schema(summary="Business calendars with their versions (newest first)"),
    create=extend_schema(request=s.CalendarInput, responses={201: s.CalendarSerializer}),
    update=extend_schema(
        summary="Save a new version of the calendar",
        request=s.CalendarInput,
        responses={200: s.CalendarSerializer},
    ),
)
class CalendarViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CalendarSerializer
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"
    queryset = selectors.calendars()

    def get_queryset(self):
        return selectors.calendars().order_by("name", "pk")

    def retrieve(self, request: Request, pk: str) -> Response:
        calendar = self.get_queryset().filter(pk=path_pk(pk, "Calendar")).first()
        if calendar is None:
            raise NotFound(f"Calendar #{pk} does not exist.")
        return Response(s.CalendarSerializer(calendar).data)

    def create(self, request: Request) -> Response:
        data = _input(s.CalendarInput, request)
        version = calendar_services.create_calendar(
            by=request.user, name=data.get("name", ""), **_calendar_kwargs(data)
        )
        calendar = self.get_queryset().get(pk=version.calendar_id)
        return Response(s.CalendarSerializer(calendar).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str) -> Response:
        data = _input(s.CalendarInput, request)
        version = calendar_services.revise_calendar(
            path_pk(pk, "Calendar"), by=request.user, **_calendar_kwargs(data)
        )
        calendar = self.get_queryset().get(pk=version.calendar_id)
        return Response(s.CalendarSerializer(calendar).data)


def _input(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _spec(data: dict, current=None) -> PolicySpec:
    """The input merged over the current version (if any): left-out fields are kept."""

    def pick(name: str, default):
        if name in data:
            return data[name]
        return getattr(current, name) if current is not None else default

    if "targets" in data:
        targets = [TargetSpec(**t) for t in data["targets"]]
    elif current is not None:
        targets = [
            TargetSpec(t.priority, t.metric, t.minutes, t.business) for t in current.targets.all()
        ]
    else:
        targets = []
    return PolicySpec(
        targets=targets,
        calendar=data["calendar"] if "calendar" in data else getattr(current, "calendar", None),
        at_risk_fraction=pick("at_risk_fraction", sla_services.PolicySpec.at_risk_fraction),
        teams=pick("teams", []),
        channels=pick("channels", []),
        priorities=pick("priorities", []),
        organizations=pick("organizations", []),
        categories=pick("categories", []),
        effective_from=data.get("effective_from"),
    )


@extend_schema_view(
    list=extend_schema(summary="SLA policies in matching order, with their versions"),
    create=extend_schema(request=s.SlaPolicyInput, responses={201: s.SlaPolicySerializer}),
    update=extend_schema(
        summary="Save a new version (fields left out keep their current value)",
        request=s.SlaPolicyInput,
        responses={200: s.SlaPolicySerializer},
    ),
    partial_update=extend_schema(
        summary="Save a new version (fields left out keep their current value)",
        request=s.SlaPolicyInput,
        responses={200: s.SlaPolicySerializer},
    ),
)
class SlaPolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.SlaPolicySerializer
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"
    queryset = selectors.sla_policies()

    def get_queryset(self):
        return selectors.sla_policies()

    def retrieve(self, request: Request, pk: str) -> Response:
        policy = self.get_queryset().filter(pk=path_pk(pk, "SLA policy")).first()
        if policy is None:
            raise NotFound(f"SLA policy #{pk} does not exist.")
        return Response(s.SlaPolicySerializer(policy).data)

    def create(self, request: Request) -> Response:
        data = _input(s.SlaPolicyInput, request)
        version = sla_services.create_policy(
            by=request.user,
            name=data.get("name", ""),
            position=data.get("position", 100),
            active=data.get("active", True),
            spec=_spec(data),
        )
        policy = self.get_queryset().get(pk=version.policy_id)
        return Response(s.SlaPolicySerializer(policy).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str) -> Response:
        data = _input(s.SlaPolicyInput, request)
        policy_id = path_pk(pk, "SLA policy")
        current = selectors.latest_policy_version(policy_id)
        if current is None:
            raise NotFound(f"SLA policy #{pk} does not exist.")
        sla_services.revise_policy(
            policy_id,
            by=request.user,
            name=data.get("name"),
            position=data.get("position"),
            active=data.get("active"),
            spec=_spec(data, current),
        )
        return Response(s.SlaPolicySerializer(self.get_queryset().get(pk=policy_id)).data)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk)
