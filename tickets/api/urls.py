from django.urls import include, path
from rest_framework.routers import APIRootView, SimpleRouter

from tickets.api import escalation_rules, escalations, incidents, sla, views
from tickets.attachments import api as attachments
from tickets.bulk import api as bulk
from tickets.chat import api as chat
from tickets.customers import api as customers
from tickets.links import api as links
from tickets.routing import api as routing
from tickets.routing import api_rules as skill_rules
from tickets.saved_views import api as saved_views
from tickets.webhooks import api as webhooks

router = SimpleRouter()
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("customers", customers.CustomerViewSet, basename="customer")
router.register("organizations", customers.OrganizationViewSet, basename="organization")
router.register("escalations", escalations.EscalationViewSet, basename="escalation")
router.register("incidents", incidents.IncidentViewSet, basename="incident")
router.register(
    "escalation-rules", escalation_rules.EscalationRuleViewSet, basename="escalation-rule"
)
router.register("webhooks", webhooks.WebhookSubscriptionViewSet, basename="webhook")
router.register("chat-channels", chat.ChatChannelViewSet, basename="chat-channel")
router.register("routing-settings", routing.RoutingSettingsViewSet, basename="routing-settings")
router.register("ticket-routing", routing.TicketRoutingViewSet, basename="ticket-routing")
router.register("skill-rules", skill_rules.SkillRuleViewSet, basename="skill-rule")

# The browsable root of /api/v1/ (named "api-root", outside the namespaces it links to).
root = APIRootView.as_view(
    api_root_dict={
        "tickets": "tickets-api:ticket-list",
        "customers": "tickets-api:customer-list",
        "organizations": "tickets-api:organization-list",
        "escalations": "tickets-api:escalation-list",
        "incidents": "tickets-api:incident-list",
        "escalation-rules": "tickets-api:escalation-rule-list",
        "webhooks": "tickets-api:webhook-list",
        "chat-channels": "tickets-api:chat-channel-list",
        "routing-settings": "tickets-api:routing-settings-list",
        "views": "tickets-api:saved-view-list",
        "skill-rules": "tickets-api:skill-rule-list",
        "teams": "staffing-api:team-list",
    }
)

urlpatterns = [
    path("", root, name="api-root"),
    path(
        "",
        include(
            (
                [
                    *router.urls,
                    # SLA instances of one ticket (tickets.api.sla).
                    path("tickets/<str:pk>/sla/", sla.ticket_sla, name="ticket-sla"),
                    path(
                        "attachments/<int:pk>/download/",
                        attachments.attachment_download,
                        name="attachment-download",
                    ),
                    # One's own availability for automatic assignment (tickets.routing.api).
                    path("availability/", routing.AvailabilityView.as_view(), name="availability"),
                    # Bulk actions (tickets.bulk.api, issue 15).
                    path("bulk-actions/", bulk.bulk_create, name="bulk-create"),
                    path("bulk-actions/<str:pk>/", bulk.bulk_detail, name="bulk-detail"),
                    # Saved views of the queue (tickets.saved_views.api, issue 15).
                    path("views/", saved_views.saved_view_list, name="saved-view-list"),
                    path(
                        "views/<str:pk>/", saved_views.saved_view_detail, name="saved-view-detail"
                    ),
                    # Merge and links (tickets.links.api, issue 15).
                    path("tickets/<str:pk>/merge/", links.ticket_merge, name="ticket-merge"),
                    path("tickets/<str:pk>/links/", links.ticket_links, name="ticket-links"),
                    path(
                        "tickets/<str:pk>/links/<str:link_pk>/",
                        links.ticket_link_delete,
                        name="ticket-link-delete",
                    ),
                ],
                "tickets-api",
            )
        ),
    ),
]
