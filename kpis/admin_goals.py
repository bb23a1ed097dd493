from django.contrib import admin

from kpis.models import Goal


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("metric", "team", "hours", "target", "period_start", "period_end", "created_by")
    list_filter = ("metric", "hours", "team")
    search_fields = ("metric", "note")
    date_hierarchy = "period_end"
    readonly_fields = ("created_by", "created_at", "updated_at")
