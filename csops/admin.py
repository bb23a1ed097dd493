from django.contrib import admin

from csops import permissions
from csops.models import Heartbeat

# Only the Admin role uses the Django admin (csops.permissions decides, like everywhere else).
admin.site.has_permission = lambda request: permissions.can_use_admin(request.user)
admin.site.site_header = "csops administration"
admin.site.site_title = "csops admin"


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["component", "seen_at", "hostname"]
    readonly_fields = ["component", "seen_at", "hostname"]
