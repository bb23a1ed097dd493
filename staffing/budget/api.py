"""Budget API (/api/v1/budgets/..., /api/v1/budget-lines/...): budgets with their lines and
months, figures (variance, cost per resolved ticket and per contact), and the writes through
the same services as the pages. Directors write; managers read their teams' lines."""

from __future__ import annotations

from datetime import date

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses
from csops.bounds import column_bounds
from csops.errors import NotFound
from staffing.budget import selectors, services
from staffing.budget.models import Budget, CostCategory, CostLine, CostRole, LineMonth, RoleCost
from staffing.models import Team


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2026-03"}
)
class MonthField(serializers.DateField):
    """A month as YYYY-MM (stored as its 1st day)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m", input_formats=["%Y-%m"], **kwargs)


class LineMonthSerializer(serializers.ModelSerializer):
    month = MonthField()
    variance = serializers.DecimalField(max_digits=13, decimal_places=2, allow_null=True)

    class Meta:
        model = LineMonth
        fields = ["month", "headcount", "planned", "actual", "variance"]


class CostLineSerializer(serializers.ModelSerializer):
    months = LineMonthSerializer(many=True, read_only=True)

    class Meta:
        model = CostLine
        fields = ["id", "budget", "category", "label", "team", "role", "months"]


class RoleCostSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleCost
        fields = ["role", "monthly_cost"]


class BudgetSerializer(serializers.ModelSerializer):
    first_month = MonthField()
    role_costs = RoleCostSerializer(many=True, read_only=True)

    class Meta:
        model = Budget
        fields = ["id", "fiscal_year", "first_month", "note", "role_costs", "created_at"]


@column_bounds()  # dates within the supported range
class BudgetInput(serializers.Serializer):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    first_month = MonthField()
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class RoleCostInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=CostRole.choices)
    monthly_cost = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)


class LineInput(serializers.Serializer):
    budget = serializers.IntegerField()
    category = serializers.ChoiceField(choices=CostCategory.choices)
    label = serializers.CharField(max_length=120)
    team = serializers.IntegerField(required=False, allow_null=True, default=None)
    role = serializers.ChoiceField(choices=CostRole.choices, required=False, default="")


@column_bounds()  # dates within the supported range
class MonthInput(serializers.Serializer):
    month = MonthField()
    planned = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="The planned amount; for a salaries line the headcount (FTE).",
    )
    actual = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )

    def validate(self, attrs: dict) -> dict:
        if "planned" not in attrs and "actual" not in attrs:
            raise serializers.ValidationError("Give the planned amount, the actual or both.")
        return attrs


class UnitCostSerializer(serializers.Serializer):
    team = serializers.IntegerField(allow_null=True, source="team_id")
    channel = serializers.CharField()
    cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    resolved = serializers.IntegerField()
    contacts = serializers.IntegerField()
    per_resolved = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    per_contact = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class MonthTotalSerializer(serializers.Serializer):
    month = MonthField()
    planned = serializers.DecimalField(max_digits=14, decimal_places=2)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    variance = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class FiguresSerializer(serializers.Serializer):
    months = MonthTotalSerializer(many=True)
    months_with_actuals = serializers.ListField(child=MonthField())
    unit_costs = UnitCostSerializer(many=True)


def _pk(kwargs: dict) -> int:
    try:
        return int(kwargs["pk"])
    except ValueError:
        raise NotFound("There is no such record.") from None


class BudgetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = BudgetSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's request
            return Budget.objects.none()
        return selectors.budgets_for(self.request.user).prefetch_related("role_costs")

    @extend_schema(
        request=BudgetInput, responses={201: BudgetSerializer, **error_responses(400, 403, 422)}
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = BudgetInput(data=request.data)
        data.is_valid(raise_exception=True)
        budget = services.create_budget(by=request.user, **data.validated_data)
        return Response(BudgetSerializer(budget).data, status=201)

    @extend_schema(
        request=RoleCostInput,
        responses={200: RoleCostSerializer, **error_responses(400, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"], url_path="role-costs")
    def role_costs(self, request: Request, pk: str) -> Response:
        permissions.ensure_can_manage_budgets(request.user)
        budget = selectors.budget_for(request.user, _pk({"pk": pk}))
        data = RoleCostInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.set_role_cost(budget, by=request.user, **data.validated_data)
        return Response(RoleCostSerializer(row).data)

    @extend_schema(responses={200: FiguresSerializer, **error_responses(403, 404)})
    @action(detail=True, methods=["get"])
    def figures(self, request: Request, pk: str) -> Response:
        """Monthly totals with variance and cost per resolved ticket and per contact by team
        and channel (the lines and teams the account reads)."""
        budget = selectors.budget_for(request.user, _pk({"pk": pk}))
        grid = selectors.grid(request.user, budget)
        units = selectors.unit_cost_table(request.user, budget)
        data = {
            "months": [
                {"month": m, "planned": c.planned, "actual": c.actual, "variance": c.variance}
                for m, c in zip(grid.months, grid.totals, strict=True)
            ],
            "months_with_actuals": units.months,
            "unit_costs": [r for _, _, r in units.rows],
        }
        return Response(FiguresSerializer(data).data)


class CostLineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CostLineSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's request
            return CostLine.objects.none()
        permissions.ensure_can_read_budgets(self.request.user)
        qs = CostLine.objects.prefetch_related("months").order_by("budget", "category", "pk")
        return permissions.scope_budget_lines(self.request.user, qs)

    @extend_schema(
        request=LineInput,
        responses={201: CostLineSerializer, **error_responses(400, 403, 404, 422)},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        permissions.ensure_can_manage_budgets(request.user)
        data = LineInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        budget = selectors.budget_for(request.user, v["budget"])
        team = None
        if v["team"] is not None:
            team = Team.objects.filter(pk=v["team"]).first()
            if team is None:
                raise NotFound(f"Team #{v['team']} does not exist.")
        line = services.add_line(
            budget,
            by=request.user,
            category=v["category"],
            label=v["label"],
            team=team,
            role=v["role"],
        )
        return Response(CostLineSerializer(line).data, status=201)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.delete_line(_pk(kwargs), by=request.user)
        return Response(status=204)

    @extend_schema(
        request=MonthInput,
        responses={200: CostLineSerializer, **error_responses(400, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"])
    def months(self, request: Request, pk: str) -> Response:
        """Set one month's plan (headcount for a salaries line) and/or actual."""
        permissions.ensure_can_manage_budgets(request.user)
        line = self.get_queryset().filter(pk=_pk({"pk": pk})).select_related("budget").first()
        if line is None:
            raise NotFound(f"Cost line #{pk} does not exist.")
        data = MonthInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        month: date = v["month"]
        planned = {month: v["planned"]} if "planned" in v else {}
        actual = {month: v["actual"]} if "actual" in v else {}
        services.plan_line(line, by=request.user, planned=planned, actual=actual)
        line = self.get_queryset().get(pk=line.pk)
        return Response(CostLineSerializer(line).data)
