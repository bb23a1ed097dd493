"""Admin of budgets (with their audit history, django-simple-history)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from csops.admin_people import person
from staffing.budget.models import Budget, CostLine, LineMonth, RoleCost


class RoleCostInline(admin.TabularInline):
    model = RoleCost
    extra = 0


@admin.register(Budget)
class BudgetAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "first_month", "note", person("created_by"), "created_at"]
    search_fields = ["note"]
    list_select_related = ["created_by"]
    raw_id_fields = ["created_by"]
    inlines = [RoleCostInline]


@admin.register(RoleCost)
class RoleCostAdmin(SimpleHistoryAdmin):
    list_display = ["budget", "role", "monthly_cost"]
    list_filter = ["budget", "role"]
    list_select_related = ["budget"]


class LineMonthInline(admin.TabularInline):
    model = LineMonth
    extra = 0


@admin.register(CostLine)
class CostLineAdmin(SimpleHistoryAdmin):
    list_display = ["label", "budget", "category", "team", "role"]
    list_filter = ["budget", "category", "team", "role"]
    search_fields = ["label"]
    list_select_related = ["budget", "team"]
    inlines = [LineMonthInline]


@admin.register(LineMonth)
class LineMonthAdmin(SimpleHistoryAdmin):
    list_display = ["line", "month", "headcount", "planned", "actual", "variance"]
    list_filter = ["line__budget", "line__category", "month"]
    search_fields = ["line__label"]
    list_select_related = ["line"]
