from django.contrib import admin

from tickets.models import SurveyInvitation, SurveyResponse


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ("pk", "ticket", "email", "scale", "ask_nps", "created_at", "sent_at")
    list_filter = ("scale", "ask_nps")
    search_fields = ("email", "ticket__subject")
    raw_id_fields = ("ticket", "solve_event")
    date_hierarchy = "created_at"


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "ticket",
        "rating_label",
        "positive",
        "nps",
        "submitted_at",
        "is_current",
        "attributed",
        "team_id",
        "agent_id",
        "priority",
    )
    list_filter = ("positive", "is_current", "scale", "attributed")
    search_fields = ("comment", "ticket__subject")
    raw_id_fields = ("ticket", "invitation")
    date_hierarchy = "submitted_at"
    # The §9.17 attribution is computed from the log at submission and never edited.
    readonly_fields = (
        "invitation",
        "ticket",
        "scale",
        "rating",
        "positive",
        "nps",
        "submitted_at",
        "attributed",
        "agent_id",
        "team_id",
        "priority",
    )
