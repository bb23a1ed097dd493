from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as AuthUserAdmin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

from csops.admin_people import PeopleAdminMixin, person
from csops.parsers import JSON_FORM_FIELD
from staffing.budget import admin as budget_admin  # noqa: F401 (budgets)
from staffing.hiring import admin as hiring_admin  # noqa: F401 (requisitions, candidates)
from staffing.models import (
    Block,
    CEEntry,
    Certification,
    Course,
    OnboardingPlan,
    OnboardingPlanStep,
    OnboardingStep,
    OnboardingTemplate,
    PerformanceReview,
    PlanningSettings,
    QAAmendment,
    QACriterion,
    QAReview,
    QAScore,
    Scenario,
    Scorecard,
    ScorecardVersion,
    Shift,
    StaffCertification,
    StaffProfile,
    Team,
    TrainingRecord,
)
from staffing.services import people, qa, teams
from staffing.skills import admin as skills_admin  # noqa: F401 (skills, availability)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "tier", "slug"]
    list_filter = ["tier"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members", "managers"]

    def save_related(self, request, form, formsets, change):
        # Membership changed here goes through the same service hooks as
        # staffing.services.teams.add_member/remove_member (the UI and API path): members
        # added get their required courses, and every join or departure reaches the listeners
        # (policy acknowledgments).
        team = form.instance
        members = set(team.members.values_list("pk", flat=True)) if change else set()
        managers = set(team.managers.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        teams.members_added(team, list(team.members.exclude(pk__in=members)), by=request.user)
        teams.managers_added(team, list(team.managers.exclude(pk__in=managers)), by=request.user)
        now_members = set(team.members.values_list("pk", flat=True))
        now_managers = set(team.managers.values_list("pk", flat=True))
        gone = (members - now_members) | (managers - now_managers)
        teams.people_left(team, list(User.objects.filter(pk__in=gone)), by=request.user)


# Django's user admin, plus the role hook. The user form is where a person's role changes
# (their groups, superuser, active flag); the teams they are on are edited on the team form.
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AuthUserAdmin):
    ROLE_FIELDS = frozenset({"groups", "is_superuser", "is_active"})

    def save_related(self, request, form, formsets, change):
        # A role changed here goes through staffing.services.people.role_changed: the new
        # role's courses are assigned and the listeners (policy acknowledgments) follow it.
        super().save_related(request, form, formsets, change)
        if self.ROLE_FIELDS & set(form.changed_data):
            people.role_changed(form.instance, by=request.user)


@admin.register(StaffProfile)
class StaffProfileAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = [person("user"), "title", person("manager"), "hire_date"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "title"]
    list_select_related = ["user", "manager"]
    autocomplete_fields = ["manager"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    formfield_overrides = JSON_FORM_FIELD
    list_display = ["title", "provider", "hours", "delivery", "recurrence_months", "active"]
    list_filter = ["delivery", "active"]
    search_fields = ["title", "provider"]
    filter_horizontal = ["required_for_teams"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = [
        "course",
        person("user"),
        "source",
        "due_date",
        "completed_on",
        "hours",
        person("verified_by"),
    ]
    list_filter = ["source", "course", ("completed_on", admin.EmptyFieldListFilter)]
    search_fields = ["course__title", "user__username"]
    list_select_related = ["course", "user", "verified_by"]
    raw_id_fields = ["user", "assigned_by", "verified_by"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    formfield_overrides = JSON_FORM_FIELD
    list_display = ["name", "issuing_body", "validity_months", "ce_hours_required", "active"]
    list_filter = ["active"]
    search_fields = ["name", "issuing_body"]
    filter_horizontal = ["required_for_teams"]


class CEEntryInline(admin.TabularInline):
    model = CEEntry
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(StaffCertification)
class StaffCertificationAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["certification", person("user"), "issued_on", "expires_on", "status"]
    list_filter = ["status", "certification"]
    search_fields = ["certification__name", "user__username", "credential_id"]
    list_select_related = ["certification", "user"]
    raw_id_fields = ["user", "recorded_by"]
    inlines = [CEEntryInline]


@admin.register(CEEntry)
class CEEntryAdmin(admin.ModelAdmin):
    list_display = ["staff_certification", "completed_on", "hours", "description"]
    search_fields = ["description", "staff_certification__user__username"]
    raw_id_fields = ["staff_certification", "recorded_by"]


class OnboardingStepInline(admin.TabularInline):
    model = OnboardingStep
    extra = 1


@admin.register(OnboardingTemplate)
class OnboardingTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "active"]
    list_filter = ["role", "active"]
    search_fields = ["name"]
    inlines = [OnboardingStepInline]


@admin.register(OnboardingStep)
class OnboardingStepAdmin(admin.ModelAdmin):
    list_display = ["template", "order", "kind", "title", "due_after_days"]
    list_filter = ["kind", "template"]
    search_fields = ["title"]


class OnboardingPlanStepInline(admin.TabularInline):
    model = OnboardingPlanStep
    extra = 0
    raw_id_fields = ["signed_off_by"]


@admin.register(OnboardingPlan)
class OnboardingPlanAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = [person("user"), "template", "start_date", person("mentor")]
    list_filter = ["template"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "mentor", "created_by"]
    inlines = [OnboardingPlanStepInline]


@admin.register(OnboardingPlanStep)
class OnboardingPlanStepAdmin(admin.ModelAdmin):
    list_display = ["plan", "order", "kind", "title", "due_date", "signed_off_at"]
    list_filter = ["kind"]
    search_fields = ["title", "plan__user__username"]
    raw_id_fields = ["plan", "signed_off_by"]


class QACriterionInline(admin.TabularInline):
    model = QACriterion
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        # A version that scored reviews is frozen: revise the scorecard instead.
        return not (obj and obj.reviews.exists()) and super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission
    has_add_permission = has_change_permission


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    search_fields = ["name"]
    actions = ["new_version"]

    @admin.action(description="Create a new version (copy of the current criteria)")
    def new_version(self, request, queryset):
        for card in queryset:
            current = card.current_version
            if current is None:
                continue
            criteria = [
                {
                    k: getattr(c, k)
                    for k in (
                        "name",
                        "description",
                        "weight",
                        "max_score",
                        "critical",
                        "fail_below",
                    )
                }
                for c in current.criteria.all()
            ]
            qa.revise_scorecard(card, by=request.user, criteria=criteria)


@admin.register(ScorecardVersion)
class ScorecardVersionAdmin(admin.ModelAdmin):
    list_display = ["scorecard", "number", "pass_percent", "created_at"]
    list_filter = ["scorecard"]
    inlines = [QACriterionInline]
    raw_id_fields = ["created_by"]


@admin.register(QACriterion)
class QACriterionAdmin(admin.ModelAdmin):
    list_display = ["version", "order", "name", "weight", "max_score", "critical"]
    list_filter = ["critical"]
    search_fields = ["name"]


class QAScoreInline(admin.TabularInline):
    model = QAScore
    extra = 0
    can_delete = False
    readonly_fields = ["criterion", "score", "comment"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class QAAmendmentInline(admin.StackedInline):
    # The scoring an amended dispute replaced: a record, written only by
    # staffing.services.qa.resolve_by_amending.
    model = QAAmendment
    extra = 0
    can_delete = False
    readonly_fields = ["amended_by", "amended_at", "comment", "before", "after"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QAReview)
class QAReviewAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = [
        "ticket_number",
        person("rep"),
        person("reviewer"),
        "state",
        "score",
        "reviewed_at",
    ]
    list_filter = ["state", "resolution", "failed_critical", "team"]
    search_fields = ["ticket_subject", "rep__username", "reviewer__username"]
    list_select_related = ["rep", "reviewer"]
    raw_id_fields = ["ticket", "rep", "reviewer", "resolved_by"]
    inlines = [QAScoreInline, QAAmendmentInline]


@admin.register(QAScore)
class QAScoreAdmin(admin.ModelAdmin):
    list_display = ["review", "criterion", "score"]
    raw_id_fields = ["review", "criterion"]


@admin.register(PerformanceReview)
class PerformanceReviewAdmin(PeopleAdminMixin, admin.ModelAdmin):
    formfield_overrides = JSON_FORM_FIELD
    list_display = [
        person("rep"),
        person("reviewer"),
        "period_start",
        "period_end",
        "acknowledged_at",
    ]
    search_fields = ["rep__username", "reviewer__username"]
    raw_id_fields = ["rep", "reviewer"]


# Planning (staffing/planning)


@admin.register(PlanningSettings)
class PlanningSettingsAdmin(admin.ModelAdmin):
    list_display = ["team", "service_level", "answer_seconds", "shrinkage", "max_occupancy"]
    list_select_related = ["team"]


@admin.register(Scenario)
class ScenarioAdmin(SimpleHistoryAdmin):
    list_display = ["name", "team", "created_by", "created_at"]
    list_filter = ["team"]
    search_fields = ["name"]
    list_select_related = ["team", "created_by"]
    formfield_overrides = JSON_FORM_FIELD


@admin.register(Shift)
class ShiftAdmin(PeopleAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "team", "weekday", "start", "end"]
    list_filter = ["team", "weekday"]
    list_select_related = ["user", "team"]


@admin.register(Block)
class BlockAdmin(PeopleAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "note"]
    list_filter = ["kind"]
    list_select_related = ["user"]
