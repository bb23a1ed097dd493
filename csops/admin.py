from django.contrib import admin

from csops import permissions
from csops.models import Heartbeat, Notification

# Only the Admin role uses the Django admin (csops.permissions decides, like everywhere else).
admin.site.has_permission = lambda request: permissions.can_use_admin(request.user)
admin.site.site_header = "csops administration"
admin.site.site_title = "csops admin"


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["component", "seen_at", "hostname"]
    readonly_fields = ["component", "seen_at", "hostname"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Notices are written by the services (idempotent per user and key): read-only here."""

    list_display = ["user", "text", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["user__username", "key", "text"]
    list_select_related = ["user"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
