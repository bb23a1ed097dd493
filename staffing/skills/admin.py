"""Skills, held skills and availability in the admin; skill changes keep their history."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from csops.admin_people import PeopleAdminMixin, person
from staffing.models import Availability, PersonSkill, Skill


@admin.register(Skill)
class SkillAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "requires_certification", "requires_course", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)


@admin.register(PersonSkill)
class PersonSkillAdmin(PeopleAdminMixin, SimpleHistoryAdmin):
    list_display = (person("user"), "skill", "level", person("granted_by"), "granted_at")
    list_filter = ("skill__kind", "skill", "level")
    search_fields = ("user__username", "user__first_name", "user__last_name", "skill__name")
    autocomplete_fields = ("skill",)


@admin.register(Availability)
class AvailabilityAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = (person("user"), "status", "changed_at")
    list_filter = ("status",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
