from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from csops.admin_people import PeopleAdminMixin, person

# Admin classes kept beside their features; importing registers them.
from tickets import (  # noqa: F401
    admin_escalations,  # escalations, incidents
    admin_policy_records,  # policy versions in force
    admin_sla,  # SLA instances, breaches, alerts
    admin_surveys,  # CSAT survey admin
)
from tickets.attachments import admin as attachments_admin  # noqa: F401 (files)
from tickets.bulk import admin as bulk_admin  # noqa: F401 (bulk actions)
from tickets.chat import admin as chat_admin  # noqa: F401 (chat channels)
from tickets.customers import admin as customers_admin  # noqa: F401 (notes, merges)
from tickets.followers import admin as followers_admin  # noqa: F401 (incident followers)
from tickets.links import admin as links_admin  # noqa: F401 (ticket links)
from tickets.mail import admin as mail_admin  # noqa: F401 (the outbox)
from tickets.mail.inbound import admin as inbound_admin  # noqa: F401 (mailboxes, inbound)
from tickets.models import Customer, Organization, Ticket, TicketEvent
from tickets.routing import admin as routing_admin  # noqa: F401 (routing settings, rules)
from tickets.saved_views import admin as saved_views_admin  # noqa: F401 (saved views)
from tickets.webhooks import admin as webhook_admin  # noqa: F401 (outgoing webhooks)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "domain"]
    search_fields = ["name", "domain"]


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):  # "History": contact edits and merges
    list_display = ["name", "email", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name", "email"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    fields = ["at", "type", "actor_role", "actor", "customer", "data", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(PeopleAdminMixin, admin.ModelAdmin):
    """Ticket rows are changed only through the services (so the event log stays complete):
    the admin shows them read-only, with their history."""

    list_display = [
        "pk",
        "subject",
        "status",
        "priority",
        "channel",
        "team",
        person("assignee"),
        "updated_at",
    ]
    list_filter = ["status", "priority", "channel", "team"]
    search_fields = ["subject", "requester__email", "=pk", "=merged_into__pk"]
    list_select_related = ["team", "assignee", "requester"]
    date_hierarchy = "created_at"
    inlines = [TicketEventInline]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Ticket._meta.fields] + ["tags"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(TicketEvent)
class TicketEventAdmin(PeopleAdminMixin, admin.ModelAdmin):
    """The event log is append-only: browse and search it, never edit it."""

    list_display = ["pk", "ticket", "at", "type", "actor_role", person("actor")]
    list_filter = ["type", "actor_role"]
    search_fields = ["=ticket__pk"]
    list_select_related = ["ticket", "actor"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
