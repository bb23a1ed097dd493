"""Admin for escalations, escalation rules, incidents and spike alerts. Escalations, incident
changes and deliveries change only through the services: shown read-only here."""

from __future__ import annotations

from django.contrib import admin

from csops.admin_people import PeopleAdminMixin, person
from tickets.forms_escalations import RuleForm
from tickets.models import (
    Escalation,
    EscalationRule,
    Incident,
    IncidentChange,
    IncidentDelivery,
    IncidentLink,
    IncidentUpdate,
    RuleFiring,
    SpikeAlert,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Escalation)
class EscalationAdmin(PeopleAdminMixin, ReadOnlyAdmin):
    list_display = [
        "pk",
        "ticket",
        "state",
        "category",
        "from_team",
        "to_team",
        person("owner"),
        "created_at",
    ]
    list_filter = ["state", "category", "to_team", "target"]
    search_fields = ["=ticket__pk", "reason"]
    list_select_related = ["ticket", "from_team", "to_team", "owner"]
    date_hierarchy = "created_at"


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "trigger", "active", "position", "open_escalation", "notify"]
    list_filter = ["trigger", "active"]
    search_fields = ["name", "keywords"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    # The rules page's form: its clean() runs services.escalation_rules.rule_problems, as the
    # API does, so an invalid rule shows its errors here and is never saved.
    form = RuleForm

    def save_model(self, request, obj, form, change) -> None:
        from tickets.services.escalations import save_rule

        save_rule(obj, by=request.user)


@admin.register(RuleFiring)
class RuleFiringAdmin(ReadOnlyAdmin):
    list_display = ["rule", "ticket", "instance", "fired_at", "actions"]
    list_filter = ["rule"]
    search_fields = ["=ticket__pk"]
    list_select_related = ["rule", "ticket"]


class IncidentLinkInline(admin.TabularInline):
    model = IncidentLink
    fields = ["ticket", "linked_by", "linked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "severity", "team", "state", "declared_at", "resolved_at"]
    list_filter = ["state", "severity", "team"]
    search_fields = ["title", "description"]
    inlines = [IncidentLinkInline]
    readonly_fields = ["declared_by", "declared_at", "resolved_by", "resolved_at", "state"]


@admin.register(IncidentUpdate)
class IncidentUpdateAdmin(PeopleAdminMixin, ReadOnlyAdmin):
    list_display = ["pk", "incident", "kind", person("posted_by"), "posted_at", "done", "total"]
    list_filter = ["kind"]
    list_select_related = ["incident", "posted_by"]


@admin.register(IncidentChange)
class IncidentChangeAdmin(PeopleAdminMixin, ReadOnlyAdmin):
    list_display = ["pk", "incident", "kind", "ticket", person("by"), "at"]
    list_filter = ["kind"]
    list_select_related = ["incident", "ticket", "by"]


@admin.register(IncidentDelivery)
class IncidentDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "update", "ticket", "state", "delivered_at"]
    list_filter = ["state"]
    search_fields = ["=ticket__pk"]


@admin.register(SpikeAlert)
class SpikeAlertAdmin(admin.ModelAdmin):
    list_display = [
        "hour",
        "dimension",
        "key_name",
        "count",
        "baseline",
        "incident",
        "dismissed_at",
    ]
    list_filter = ["dimension"]
    readonly_fields = [
        "dimension",
        "key_id",
        "key_name",
        "hour",
        "count",
        "baseline",
        "ticket_ids",
        "created_at",
    ]
