"""Routing in the admin, with the history of every settings and rule change."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from csops.admin_people import PeopleAdminMixin, person
from tickets.routing.models import MemberCapacity, RoutingSettings, SkillRule, TicketRouting


@admin.register(RoutingSettings)
class RoutingSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("team", "mode", "capacity", "overflow_team", "overflow_after_minutes")
    list_filter = ("mode",)
    readonly_fields = ("last_assignee",)


@admin.register(MemberCapacity)
class MemberCapacityAdmin(PeopleAdminMixin, SimpleHistoryAdmin):
    list_display = ("team", person("user"), "capacity")
    list_filter = ("team",)


@admin.register(SkillRule)
class SkillRuleAdmin(SimpleHistoryAdmin):
    list_display = ("name", "team", "category", "language", "channel", "priority", "active")
    list_filter = ("active", "team", "channel", "priority")
    filter_horizontal = ("skills",)
    search_fields = ("name",)


@admin.register(TicketRouting)
class TicketRoutingAdmin(admin.ModelAdmin):
    list_display = ("ticket", "language", "waiting_since", "wait_reason")
    readonly_fields = ("ticket", "waiting_since", "wait_reason")
    filter_horizontal = ("required_skills",)
