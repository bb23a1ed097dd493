from django.urls import include, path
from rest_framework.routers import APIRootView, SimpleRouter

from tickets.api import escalation_rules, escalations, incidents, sla, views
from tickets.attachments import api as attachments
from tickets.routing import api as routing
from tickets.webhooks import api as webhooks

router = SimpleRouter()
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("escalations", escalations.EscalationViewSet, basename="escalation")
router.register("incidents", incidents.IncidentViewSet, basename="incident")
router.register(
    "escalation-rules", escalation_rules.EscalationRuleViewSet, basename="escalation-rule"
)
router.register("webhooks", webhooks.WebhookSubscriptionViewSet, basename="webhook")
router.register("routing-settings", routing.RoutingSettingsViewSet, basename="routing-settings")
router.register("ticket-routing", routing.TicketRoutingViewSet, basename="ticket-routing")

# The browsable root of /api/v1/ (named "api-root", outside the namespaces it links to).
root = APIRootView.as_view(
    api_root_dict={
        "tickets": "tickets-api:ticket-list",
        "customers": "tickets-api:customer-list",
        "escalations": "tickets-api:escalation-list",
        "incidents": "tickets-api:incident-list",
        "escalation-rules": "tickets-api:escalation-rule-list",
        "webhooks": "tickets-api:webhook-list",
        "routing-settings": "tickets-api:routing-settings-list",
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
                ],
                "tickets-api",
            )
        ),
    ),
]
