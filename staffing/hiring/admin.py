"""Hiring in the admin: requisitions and hiring decisions keep their history; stage moves and
scorecards are read-only records written by the services."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from csops.admin_people import PeopleAdminMixin, person
from staffing.hiring.models import (
    Candidate,
    Competency,
    HiringDecision,
    InterviewScorecard,
    Rating,
    Requisition,
    StageMove,
)


@admin.register(Requisition)
class RequisitionAdmin(PeopleAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "team", "role", "count", "status", person("created_by"), "created_at")
    list_filter = ("status", "role", "team")
    search_fields = ("title", "reason")
    date_hierarchy = "created_at"


class StageMoveInline(admin.TabularInline):
    model = StageMove
    extra = 0
    can_delete = False
    readonly_fields = ("from_stage", "to_stage", "by", "at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Candidate)
class CandidateAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "requisition", "stage", "source", "applied_at", "anonymized_at")
    list_filter = ("stage", "source", "requisition__team")
    search_fields = ("name", "email")
    readonly_fields = ("stage", "stage_changed_at", "closed_at", "hired_user", "anonymized_at")
    inlines = [StageMoveInline]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("name", "stage", "order", "active")
    list_filter = ("stage", "active")
    search_fields = ("name",)


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(InterviewScorecard)
class InterviewScorecardAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ("candidate", "stage", person("interviewer"), "submitted_at")
    list_filter = ("stage",)
    inlines = [RatingInline]


@admin.register(HiringDecision)
class HiringDecisionAdmin(PeopleAdminMixin, SimpleHistoryAdmin):
    list_display = ("candidate", "outcome", person("decided_by"), "decided_at")
    list_filter = ("outcome",)
    date_hierarchy = "decided_at"
