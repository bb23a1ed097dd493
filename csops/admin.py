from django.contrib import admin
from django.utils import timezone
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from csops import jobs, permissions, tokens
from csops.admin_people import PeopleAdminMixin, person
from csops.models import Heartbeat, Job, Notification

# Only the Admin role uses the Django admin (csops.permissions decides, like everywhere else).
admin.site.has_permission = lambda request: permissions.can_use_admin(request.user)
admin.site.site_header = "csops administration"
admin.site.site_title = "csops admin"


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["component", "seen_at", "hostname"]
    readonly_fields = ["component", "seen_at", "hostname"]


@admin.register(Notification)
class NotificationAdmin(PeopleAdminMixin, admin.ModelAdmin):
    """Notices are written by the services (idempotent per user and key): read-only here."""

    list_display = [person("user"), "text", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["user__username", "key", "text"]
    list_select_related = ["user"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ApiTokenAdmin(PeopleAdminMixin, TokenAdmin):
    """API tokens with their expiry; deleting one revokes it (DRF's token admin has no bulk
    actions: its rows are keyed by user)."""

    list_display = ["key", person("user"), "created", "expires", "expired"]

    @admin.display(description="expires")
    def expires(self, obj: TokenProxy):
        return tokens.expires_at(obj)

    @admin.display(description="expired", boolean=True)
    def expired(self, obj: TokenProxy) -> bool:
        return tokens.is_expired(obj)


admin.site.unregister(TokenProxy)
admin.site.register(TokenProxy, ApiTokenAdmin)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs (csops.jobs) are written by the services: read-only here, with one
    action that makes failed jobs due again."""

    list_display = [
        "kind",
        "key",
        "state",
        "priority",
        "due_at",
        "attempts",
        "finished_at",
        "short_error",
    ]
    list_filter = ["state", "priority", "kind"]
    search_fields = ["key", "kind", "last_error"]
    readonly_fields = [f.name for f in Job._meta.fields]
    actions = ["run_again"]

    @admin.display(description="last error")
    def short_error(self, obj: Job) -> str:
        return obj.last_error[:120]

    @admin.action(description="Run the selected failed jobs again")
    def run_again(self, request, queryset) -> None:
        count = queryset.filter(state=Job.State.FAILED).update(
            state=Job.State.PENDING, due_at=timezone.now(), attempts=0, finished_at=None
        )
        jobs.wake()
        self.message_user(request, f"{count} job(s) will run again.")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
