from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from csops.admin_people import PeopleAdminMixin, person
from csops.parsers import JSON_FORM_FIELD
from policies.markup import render_markdown
from policies.models import (
    Acknowledgment,
    Category,
    Macro,
    PolicyDocument,
    PolicyVersion,
    Tag,
    VersionTransition,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


# --- Policies and procedures, macros (history pages from django-simple-history) -----------


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(PeopleAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", person("owner"), person("approver"), "updated_at"]
    list_filter = ["kind", "categories"]
    search_fields = ["title"]
    filter_horizontal = ["categories", "tags"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(PeopleAdminMixin, SimpleHistoryAdmin):
    formfield_overrides = JSON_FORM_FIELD
    list_display = [
        "document",
        "number",
        "state",
        "effective_date",
        person("author"),
        "ack_required",
    ]
    list_filter = ["state", "ack_required"]
    search_fields = ["document__title", "body"]

    def get_readonly_fields(self, request, obj=None):
        # Published and retired versions are immutable; drafts change through the console.
        if obj is not None and obj.state != "draft":
            return [f.name for f in self.model._meta.fields] + ["ack_teams"]
        return ["body_html"]

    def save_model(self, request, obj, form, change) -> None:
        obj.body_html = render_markdown(obj.body)  # the pages show the sanitized rendering
        super().save_model(request, obj, form, change)


@admin.register(VersionTransition)
class VersionTransitionAdmin(PeopleAdminMixin, SimpleHistoryAdmin):
    list_display = ["version", "from_state", "to_state", person("by"), "at"]
    list_filter = ["to_state"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Acknowledgment)
class AcknowledgmentAdmin(PeopleAdminMixin, SimpleHistoryAdmin):
    list_display = ["version", person("user"), "due_at", "acknowledged_at", "superseded_at"]
    list_filter = ["acknowledged_at"]
    search_fields = ["user__username", "version__document__title"]


@admin.register(Macro)
class MacroAdmin(SimpleHistoryAdmin):
    list_display = ["title", "set_status", "set_priority", "policy", "active"]
    list_filter = ["active"]
    search_fields = ["title", "body"]


# --- SLA policies and business calendars ----------------------------------------------------
# Versions are immutable: the admin shows them read-only; new versions are made on the SLA
# pages (/policies/sla/, /policies/calendars/) or the API, through policies.services.

from policies.models import (  # noqa: E402
    BusinessCalendar,
    CalendarVersion,
    OrganizationSettings,
    SlaPolicy,
    SlaPolicyTarget,
    SlaPolicyVersion,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CalendarVersionInline(_ReadOnlyInline):
    model = CalendarVersion
    fields = ["number", "time_zone", "weekly", "holidays", "effective_from", "created_by"]
    readonly_fields = fields


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["created_at"]
    inlines = [CalendarVersionInline]


@admin.register(CalendarVersion)
class CalendarVersionAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["calendar", "number", "time_zone", "effective_from", person("created_by")]
    list_filter = ["time_zone"]
    search_fields = ["calendar__name"]
    list_select_related = ["calendar", "created_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OrganizationSettings)
class OrganizationSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "default_calendar", "reporting_time_zone", "updated_at"]


class SlaPolicyVersionInline(_ReadOnlyInline):
    model = SlaPolicyVersion
    fields = ["number", "calendar", "at_risk_fraction", "effective_from", "created_by"]
    readonly_fields = fields


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "active", "created_at"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    readonly_fields = ["created_at"]
    inlines = [SlaPolicyVersionInline]


class SlaPolicyTargetInline(_ReadOnlyInline):
    model = SlaPolicyTarget
    fields = ["priority", "metric", "minutes", "business"]
    readonly_fields = fields
    show_change_link = False


@admin.register(SlaPolicyVersion)
class SlaPolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["policy", "number", "calendar", "at_risk_fraction", "effective_from"]
    list_select_related = ["policy", "calendar"]
    search_fields = ["policy__name"]
    inlines = [SlaPolicyTargetInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


from policies.knowledge import admin as knowledge_admin  # noqa: E402, F401 - registers its models
