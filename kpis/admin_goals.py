from django.contrib import admin

from csops.admin_people import PeopleAdminMixin, person
from kpis.models import Goal


@admin.register(Goal)
class GoalAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = (
        "metric",
        "team",
        "hours",
        "target",
        "period_start",
        "period_end",
        person("created_by"),
    )
    list_filter = ("metric", "hours", "team")
    search_fields = ("metric", "note")
    date_hierarchy = "period_end"
    readonly_fields = ("created_by", "created_at", "updated_at")
