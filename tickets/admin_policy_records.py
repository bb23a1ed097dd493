from django.contrib import admin

from tickets.models import TicketPolicyRecord


@admin.register(TicketPolicyRecord)
class TicketPolicyRecordAdmin(admin.ModelAdmin):
    list_display = ["ticket", "version", "moment", "at"]
    list_filter = ["moment"]
    raw_id_fields = ["ticket", "version"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
