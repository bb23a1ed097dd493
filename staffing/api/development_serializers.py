"""Serializers of the staff development API: outputs are read-only model views, inputs are
plain serializers handed to one service call."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework import serializers

from csops.bounds import column_bounds
from staffing import selectors
from staffing.models import (
    Certification,
    Course,
    OnboardingPlan,
    OnboardingTemplate,
    QAAmendment,
    QAReview,
    QAScore,
    Scorecard,
    StaffCertification,
    Team,
    TrainingRecord,
)
from staffing.models.training import ROLE_CHOICES, Delivery


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "description",
            "provider",
            "hours",
            "delivery",
            "required_for_roles",
            "required_for_teams",
            "recurrence_months",
            "due_within_days",
            "active",
        ]
        read_only_fields = fields


@column_bounds(Course)
class CourseInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    provider = serializers.CharField(required=False, allow_blank=True, default="")
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    delivery = serializers.ChoiceField(choices=Delivery.choices, default=Delivery.ONLINE)
    required_for_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ROLE_CHOICES), required=False, default=list
    )
    required_for_teams = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), many=True, required=False, default=list
    )
    recurrence_months = serializers.IntegerField(min_value=1, required=False, allow_null=True)


@column_bounds()
class AssignInput(serializers.Serializer):
    users = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False, default=list
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True, default=None
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class TrainingRecordSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)
    evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "course",
            "course_title",
            "user",
            "team",
            "source",
            "assigned_at",
            "assigned_by",
            "due_date",
            "completed_on",
            "score",
            "hours",
            "evidence_file",
            "evidence_url",
            "verified_by",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_evidence_file(self, obj: TrainingRecord) -> str | None:
        return f"/staff/training/{obj.pk}/evidence/" if obj.evidence_file else None


@column_bounds()
class TrainingAssignInput(serializers.Serializer):
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


@column_bounds()
class CompleteInput(serializers.Serializer):
    completed_on = serializers.DateField()
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True
    )
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
    evidence_file = serializers.FileField(required=False, allow_null=True, default=None)
    verify = serializers.BooleanField(required=False, default=False)


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = [
            "id",
            "name",
            "issuing_body",
            "validity_months",
            "ce_hours_required",
            "ce_cycle_months",
            "recertification_rules",
            "required_for_roles",
            "required_for_teams",
            "active",
        ]
        read_only_fields = fields


@column_bounds(Certification)
class CertificationInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    issuing_body = serializers.CharField(required=False, allow_blank=True, default="")
    validity_months = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    ce_hours_required = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, default=0
    )
    ce_cycle_months = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    recertification_rules = serializers.CharField(required=False, allow_blank=True, default="")
    required_for_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ROLE_CHOICES), required=False, default=list
    )
    required_for_teams = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), many=True, required=False, default=list
    )


class StaffCertificationSerializer(serializers.ModelSerializer):
    certification_name = serializers.CharField(source="certification.name", read_only=True)
    ce_hours = serializers.SerializerMethodField()

    class Meta:
        model = StaffCertification
        fields = [
            "id",
            "user",
            "certification",
            "certification_name",
            "issued_on",
            "expires_on",
            "credential_id",
            "status",
            "ce_hours",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_ce_hours(self, obj: StaffCertification) -> str:
        """CE hours logged in the current cycle (``staffing.selectors.ce_cycle``)."""
        return str(selectors.ce_cycle(obj, timezone.localdate()).hours)


@column_bounds()
class StaffCertificationInput(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    certification = serializers.PrimaryKeyRelatedField(queryset=Certification.objects.all())
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    credential_id = serializers.CharField(required=False, allow_blank=True, default="")


@column_bounds()
class CEInput(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    completed_on = serializers.DateField()
    description = serializers.CharField(max_length=200)


class OnboardingPlanSerializer(serializers.ModelSerializer):
    steps = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()

    class Meta:
        model = OnboardingPlan
        fields = [
            "id",
            "user",
            "template",
            "start_date",
            "mentor",
            "created_by",
            "created_at",
            "percent",
            "steps",
        ]
        read_only_fields = fields

    def _progress(self, obj):
        return self.context["progress"][obj.pk]

    def get_percent(self, obj) -> int:
        return self._progress(obj).percent

    def get_steps(self, obj) -> list[dict]:
        return [
            {
                "id": s.step.pk,
                "order": s.step.order,
                "kind": s.step.kind,
                "title": s.step.title,
                "due_date": s.step.due_date,
                "done_on": s.done_on,
                "late": s.late,
            }
            for s in self._progress(obj).steps
        ]


@column_bounds()
class PlanInput(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    template = serializers.PrimaryKeyRelatedField(queryset=OnboardingTemplate.objects.all())
    start_date = serializers.DateField()
    mentor = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )


class QAScoreSerializer(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = QAScore
        fields = ["criterion", "criterion_name", "score", "comment"]
        read_only_fields = fields


class QAAmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = QAAmendment
        fields = ["amended_by", "amended_at", "comment", "before", "after"]
        read_only_fields = fields


class QAReviewSerializer(serializers.ModelSerializer):
    scores = QAScoreSerializer(many=True, read_only=True)
    amendment = QAAmendmentSerializer(read_only=True, allow_null=True)

    class Meta:
        model = QAReview
        fields = [
            "id",
            "ticket",
            "ticket_number",
            "ticket_subject",
            "rep",
            "team",
            "reviewer",
            "scorecard_version",
            "state",
            "created_at",
            "reviewed_at",
            "raw_score",
            "score",
            "failed_critical",
            "passed",
            "summary",
            "acknowledged_at",
            "dispute_comment",
            "disputed_at",
            "resolution_comment",
            "resolved_by",
            "resolved_at",
            "resolution",
            "amendment",
            "scores",
        ]
        read_only_fields = fields


class QAStartInput(serializers.Serializer):
    ticket = serializers.IntegerField(min_value=1)
    scorecard = serializers.PrimaryKeyRelatedField(queryset=Scorecard.objects.filter(active=True))


@column_bounds(QAScore)
class QAScoreInput(serializers.Serializer):
    criterion = serializers.IntegerField()
    score = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class QAScoresInput(serializers.Serializer):
    scores = QAScoreInput(many=True)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


@column_bounds(QAScore)
class QAAmendScoreInput(serializers.Serializer):
    criterion = serializers.IntegerField()
    score = serializers.IntegerField()
    comment = serializers.CharField(
        required=False, allow_blank=True, help_text="Left out: the criterion keeps its comment."
    )


class QAAmendInput(serializers.Serializer):
    scores = QAAmendScoreInput(many=True, help_text="Every criterion of the scorecard version.")
    comment = serializers.CharField(help_text="Why the scores change.")


class CommentInput(serializers.Serializer):
    comment = serializers.CharField()
