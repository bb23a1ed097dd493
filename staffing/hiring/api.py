"""Hiring API (/api/v1/hiring/...): requisitions and their approval, candidates, their moves
and scorecards. Same rules and services as the pages: the requisition team's managers and
directors; reps and other teams' managers get 404; only directors approve."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses
from csops.bounds import column_bounds
from csops.errors import InvalidInput, NotFound
from staffing.hiring import selectors, services
from staffing.hiring.models import (
    BOARD_MOVES,
    HIRE_ROLES,
    SCORED_STAGE_CHOICES,
    Candidate,
    InterviewScorecard,
    Requisition,
    Source,
)
from staffing.models import Scenario, Team


class RequisitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Requisition
        fields = [
            "id", "team", "role", "title", "count", "reason", "scenario", "gap_fte", "status",
            "created_by", "created_at", "decided_by", "decided_at", "decision_note",
        ]  # fmt: skip


class RequisitionInput(serializers.Serializer):
    team = serializers.IntegerField()
    role = serializers.ChoiceField(choices=HIRE_ROLES)
    title = serializers.CharField(max_length=120)
    count = serializers.IntegerField(min_value=1, max_value=50)
    reason = serializers.CharField()
    scenario = serializers.IntegerField(required=False, allow_null=True)


class DecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class CloseInput(serializers.Serializer):
    note = serializers.CharField(max_length=300)


class CandidateSerializer(serializers.ModelSerializer):
    has_cv = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id", "requisition", "name", "email", "phone", "source", "stage", "applied_at",
            "stage_changed_at", "closed_at", "hired_user", "anonymized_at", "version", "has_cv",
        ]  # fmt: skip

    def get_has_cv(self, obj: Candidate) -> bool:
        return bool(obj.cv)


class CandidateInput(serializers.Serializer):
    requisition = serializers.IntegerField()
    name = serializers.CharField(max_length=120)
    email = serializers.EmailField(required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    source = serializers.ChoiceField(choices=Source.choices)
    cv = serializers.FileField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, default="", allow_blank=True)


@column_bounds()  # dates within the supported range
class MoveInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=BOARD_MOVES)
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)
    start_date = serializers.DateField(required=False, allow_null=True, default=None)


class RatingSerializer(serializers.Serializer):
    competency = serializers.IntegerField(source="competency_id")
    name = serializers.CharField(source="competency.name")
    score = serializers.IntegerField()


class ScorecardSerializer(serializers.ModelSerializer):
    ratings = RatingSerializer(many=True)

    class Meta:
        model = InterviewScorecard
        fields = ["id", "stage", "interviewer", "submitted_at", "notes", "ratings"]


class StageScorecardsSerializer(serializers.Serializer):
    stage = serializers.CharField()
    mine = ScorecardSerializer(allow_null=True)
    others = ScorecardSerializer(many=True)
    hidden = serializers.IntegerField(help_text="Others' scorecards not shown until you submit.")


class ScorecardInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=SCORED_STAGE_CHOICES)
    ratings = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        help_text="Competency id -> score (1-5), every active competency of the stage.",
    )
    notes = serializers.CharField(required=False, default="", allow_blank=True)


def _valid(cls, request: Request) -> dict:
    data = cls(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class _Read(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filter_backends: list = []


class RequisitionViewSet(_Read):
    serializer_class = RequisitionSerializer

    def get_queryset(self) -> QuerySet:
        return permissions.scope_requisitions(self.request.user, Requisition.objects.all())

    @extend_schema(
        request=RequisitionInput,
        responses={201: RequisitionSerializer, **error_responses(400, 403, 404, 422)},
    )
    def create(self, request: Request) -> Response:
        v = _valid(RequisitionInput, request)
        permissions.ensure_can_hire_for_team(request.user, v["team"])
        team = Team.objects.filter(pk=v["team"]).first()
        if team is None:
            raise NotFound(f"Team #{v['team']} does not exist or is not one you hire for.")
        scenario = None
        if v.get("scenario") is not None:
            scenario = Scenario.objects.filter(pk=v["scenario"], team=team).first()
            if scenario is None:
                raise NotFound(f"Scenario #{v['scenario']} is not one of {team.name}'s.")
        req = services.open_requisition(
            by=request.user,
            team=team,
            role=v["role"],
            title=v["title"],
            count=v["count"],
            reason=v["reason"],
            scenario=scenario,
        )
        return Response(RequisitionSerializer(req).data, status=201)

    @extend_schema(
        request=DecisionInput,
        responses={200: RequisitionSerializer, **error_responses(400, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        v = _valid(DecisionInput, request)
        req = services.decide_requisition(
            self.get_object().pk, by=request.user, approve=v["approve"], note=v["note"]
        )
        return Response(RequisitionSerializer(req).data)

    @extend_schema(
        request=CloseInput,
        responses={200: RequisitionSerializer, **error_responses(400, 404, 422)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        v = _valid(CloseInput, request)
        req = services.close_requisition(self.get_object().pk, by=request.user, note=v["note"])
        return Response(RequisitionSerializer(req).data)


class CandidateViewSet(_Read):
    serializer_class = CandidateSerializer

    def get_queryset(self) -> QuerySet:
        qs = Candidate.objects.order_by("requisition", "stage_changed_at", "pk")
        requisition = self.request.query_params.get("requisition", "")
        if requisition.isdigit():
            qs = qs.filter(requisition_id=int(requisition))
        return permissions.scope_candidates(self.request.user, qs)

    @extend_schema(
        request={"application/json": CandidateInput, "multipart/form-data": CandidateInput},
        responses={201: CandidateSerializer, **error_responses(400, 403, 404, 422)},
    )
    def create(self, request: Request) -> Response:
        v = _valid(CandidateInput, request)
        qs = Requisition.objects.all()
        req = permissions.access_requisition(request.user, qs, v.pop("requisition"))
        candidate = services.add_candidate(req, by=request.user, **v)
        return Response(CandidateSerializer(candidate).data, status=201)

    @extend_schema(
        request=MoveInput,
        responses={200: CandidateSerializer, **error_responses(400, 404, 409, 422)},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        v = _valid(MoveInput, request)
        candidate = services.move_candidate(
            self.get_object().pk,
            by=request.user,
            to=v["to"],
            reason=v["reason"],
            expected_version=v["version"],
            start_date=v["start_date"],
        )
        return Response(CandidateSerializer(candidate).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: StageScorecardsSerializer(many=True), **error_responses(404)},
    )
    @extend_schema(
        methods=["POST"],
        request=ScorecardInput,
        responses={201: ScorecardSerializer, **error_responses(400, 404, 409, 422)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # one list per stage
    def scorecards(self, request: Request, pk: str) -> Response:
        """GET: the scorecards per stage as you may see them (others' only after yours).
        POST: submit yours for a stage."""
        candidate = self.get_object()
        if request.method == "GET":
            cards = selectors.scorecards_for(candidate, request.user)
            return Response(StageScorecardsSerializer(cards, many=True).data)
        v = _valid(ScorecardInput, request)
        try:
            ratings = {int(k): score for k, score in v["ratings"].items()}
        except ValueError:
            raise InvalidInput(
                "Ratings are keyed by competency id.", fields={"ratings": ["Not an id."]}
            ) from None
        card = services.submit_scorecard(
            candidate.pk, by=request.user, stage=v["stage"], ratings=ratings, notes=v["notes"]
        )
        return Response(ScorecardSerializer(card).data, status=201)
