"""The staff development API (/api/v1/courses/, training-records/, certifications/,
staff-certifications/, onboarding-plans/, qa-reviews/).

Same rules as the pages: lists are scoped with ``csops.permissions.scope_staff_records`` (a
rep their own, a manager their teams', directors all); every write validates an input
serializer and calls one staffing service, which checks permission; errors are the
``{"error", "detail", "fields"}`` bodies of ``csops.api``.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from csops import permissions
from csops.errors import InvalidInput
from staffing import selectors
from staffing.api import development_serializers as s
from staffing.filters import (
    OnboardingPlanFilter,
    QAReviewFilter,
    StaffCertificationFilter,
    TrainingRecordFilter,
)
from staffing.models import Certification, Course, OnboardingPlan, StaffCertification
from staffing.services import certifications, onboarding, qa, training
from staffing.services._common import today

S = TypeVar("S", bound=Serializer)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def _valid(serializer_class: type[S], request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class _ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = Pagination


@extend_schema(responses=s.CourseSerializer)
class CourseViewSet(_ReadViewSet):
    serializer_class = s.CourseSerializer
    filterset_fields = ["delivery", "active"]
    queryset = Course.objects.prefetch_related("required_for_teams").order_by("title")

    @extend_schema(request=s.CourseInput, responses={201: s.CourseSerializer})
    def create(self, request: Request) -> Response:
        data = {k: v for k, v in _valid(s.CourseInput, request).items() if v is not None}
        course = training.create_course(by=request.user, **data)
        return Response(s.CourseSerializer(course).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AssignInput, responses={201: s.TrainingRecordSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        data = _valid(s.AssignInput, request)
        created = training.assign_course(
            self.get_object(),
            by=request.user,
            due_date=data["due_date"],
            team=data["team"],
            users=data["users"],
        )
        return Response(s.TrainingRecordSerializer(created, many=True).data, status=201)


class TrainingRecordViewSet(_ReadViewSet):
    serializer_class = s.TrainingRecordSerializer
    filterset_class = TrainingRecordFilter

    def get_queryset(self) -> QuerySet:
        return selectors.training_records(self.request.user).order_by("-assigned_at", "-pk")

    @extend_schema(request=s.TrainingAssignInput, responses={201: s.TrainingRecordSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.TrainingAssignInput, request)
        created = training.assign_course(
            data["course"], by=request.user, due_date=data["due_date"], users=[data["user"]]
        )
        if not created:
            raise InvalidInput(
                "This course is already assigned and not completed yet.",
                fields={"course": ["Already assigned."]},
            )
        return Response(s.TrainingRecordSerializer(created[0]).data, status=201)

    @extend_schema(request=s.CompleteInput, responses={200: s.TrainingRecordSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        record = training.complete_training(
            self.get_object().pk, by=request.user, **_valid(s.CompleteInput, request)
        )
        return Response(s.TrainingRecordSerializer(record).data)

    @extend_schema(request=None, responses={200: s.TrainingRecordSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        record = training.verify_training(self.get_object().pk, by=request.user)
        return Response(s.TrainingRecordSerializer(record).data)


class CertificationViewSet(_ReadViewSet):
    serializer_class = s.CertificationSerializer
    queryset = Certification.objects.prefetch_related("required_for_teams").order_by("name")
    filterset_fields = ["active"]

    @extend_schema(request=s.CertificationInput, responses={201: s.CertificationSerializer})
    def create(self, request: Request) -> Response:
        data = {k: v for k, v in _valid(s.CertificationInput, request).items() if v is not None}
        cert = certifications.create_certification(by=request.user, **data)
        return Response(s.CertificationSerializer(cert).data, status=201)


class StaffCertificationViewSet(_ReadViewSet):
    serializer_class = s.StaffCertificationSerializer
    filterset_class = StaffCertificationFilter

    def get_queryset(self) -> QuerySet:
        qs = StaffCertification.objects.select_related("certification").prefetch_related(
            "ce_entries"
        )
        return permissions.scope_staff_records(self.request.user, qs).order_by("expires_on", "pk")

    @extend_schema(
        request=s.StaffCertificationInput, responses={201: s.StaffCertificationSerializer}
    )
    def create(self, request: Request) -> Response:
        held = certifications.record_certification(
            by=request.user, **_valid(s.StaffCertificationInput, request)
        )
        return Response(s.StaffCertificationSerializer(held).data, status=201)

    @extend_schema(request=s.CEInput, responses={201: s.StaffCertificationSerializer})
    @action(detail=True, methods=["post"], url_path="ce-hours")
    def ce_hours(self, request: Request, pk: str) -> Response:
        held = self.get_object()
        certifications.log_ce_hours(held.pk, by=request.user, **_valid(s.CEInput, request))
        return Response(s.StaffCertificationSerializer(self.get_object()).data, status=201)


class OnboardingPlanViewSet(_ReadViewSet):
    serializer_class = s.OnboardingPlanSerializer
    filterset_class = OnboardingPlanFilter

    def get_queryset(self) -> QuerySet[OnboardingPlan]:
        return selectors.onboarding_plans(self.request.user).order_by("-start_date", "pk")

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "progress": _ProgressMap()}

    @extend_schema(request=s.PlanInput, responses={201: s.OnboardingPlanSerializer})
    def create(self, request: Request) -> Response:
        plan = onboarding.create_plan(by=request.user, **_valid(s.PlanInput, request))
        return Response(self.get_serializer(plan).data, status=201)


class _ProgressMap(dict):
    """Plan id -> progress, computed on first use (one plan at a time, as pages list them)."""

    def __missing__(self, pk: int):
        self[pk] = selectors.plan_progress(OnboardingPlan.objects.get(pk=pk), today())
        return self[pk]


class QAReviewViewSet(_ReadViewSet):
    serializer_class = s.QAReviewSerializer
    filterset_class = QAReviewFilter

    def get_queryset(self) -> QuerySet:
        return (
            selectors.qa_reviews(self.request.user)
            .select_related("amendment")
            .prefetch_related("scores__criterion")
        )

    def _out(self, review, code: int = 200) -> Response:
        return Response(
            s.QAReviewSerializer(self.get_queryset().get(pk=review.pk)).data, status=code
        )

    @extend_schema(request=s.QAStartInput, responses={201: s.QAReviewSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.QAStartInput, request)
        review = qa.start_review(data["ticket"], scorecard=data["scorecard"], by=request.user)
        return self._out(review, 201)

    @extend_schema(request=s.QAScoresInput, responses={200: s.QAReviewSerializer})
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str) -> Response:
        data = _valid(s.QAScoresInput, request)
        scores = {row["criterion"]: (row["score"], row["comment"]) for row in data["scores"]}
        review = qa.submit_scores(
            self.get_object().pk, by=request.user, scores=scores, summary=data["summary"]
        )
        return self._out(review)

    @extend_schema(request=None, responses={200: s.QAReviewSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        return self._out(qa.acknowledge_review(self.get_object().pk, by=request.user))

    @extend_schema(request=s.CommentInput, responses={200: s.QAReviewSerializer})
    @action(detail=True, methods=["post"])
    def dispute(self, request: Request, pk: str) -> Response:
        comment = _valid(s.CommentInput, request)["comment"]
        return self._out(qa.dispute_review(self.get_object().pk, by=request.user, comment=comment))

    @extend_schema(request=s.CommentInput, responses={200: s.QAReviewSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        comment = _valid(s.CommentInput, request)["comment"]
        return self._out(qa.resolve_dispute(self.get_object().pk, by=request.user, comment=comment))

    @extend_schema(request=s.QAAmendInput, responses={200: s.QAReviewSerializer})
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: str) -> Response:
        """Resolve a dispute by amending the scores (the score is recomputed)."""
        data = _valid(s.QAAmendInput, request)
        scores = {row["criterion"]: (row["score"], row.get("comment")) for row in data["scores"]}
        review = qa.resolve_by_amending(
            self.get_object().pk, by=request.user, scores=scores, comment=data["comment"]
        )
        return self._out(review)
