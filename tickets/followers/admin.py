"""Incident followers in the admin: who follows which incident (rows come from the public
confirm and unfollow links)."""

from __future__ import annotations

from django.contrib import admin

from tickets.followers.models import IncidentFollower


@admin.register(IncidentFollower)
class IncidentFollowerAdmin(admin.ModelAdmin):
    list_display = ("email", "incident", "confirmed_at", "unfollowed_at")
    list_filter = (("unfollowed_at", admin.EmptyFieldListFilter),)
    search_fields = ("email", "incident__title")
    raw_id_fields = ("incident",)
    date_hierarchy = "confirmed_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # an address follows only through its confirmed link
