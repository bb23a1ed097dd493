"""FilterSets of the staff development API lists."""

from __future__ import annotations

import django_filters

from staffing.models import OnboardingPlan, QAReview, StaffCertification, TrainingRecord


class TrainingRecordFilter(django_filters.FilterSet):
    completed = django_filters.BooleanFilter(
        field_name="completed_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = TrainingRecord
        fields = ["user", "course", "team", "completed"]


class StaffCertificationFilter(django_filters.FilterSet):
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")

    class Meta:
        model = StaffCertification
        fields = ["user", "certification", "status", "expires_before"]


class OnboardingPlanFilter(django_filters.FilterSet):
    class Meta:
        model = OnboardingPlan
        fields = ["user", "template"]


class QAReviewFilter(django_filters.FilterSet):
    reviewed_after = django_filters.DateFilter(field_name="reviewed_at", lookup_expr="date__gte")
    reviewed_before = django_filters.DateFilter(field_name="reviewed_at", lookup_expr="date__lte")

    class Meta:
        model = QAReview
        fields = ["rep", "team", "state", "reviewed_after", "reviewed_before"]
