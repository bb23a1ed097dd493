from django.urls import include, path
from rest_framework.routers import APIRootView, SimpleRouter

from tickets.api import views

router = SimpleRouter()
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("customers", views.CustomerViewSet, basename="customer")

# The browsable root of /api/v1/ (named "api-root", outside the namespaces it links to).
root = APIRootView.as_view(
    api_root_dict={
        "tickets": "tickets-api:ticket-list",
        "customers": "tickets-api:customer-list",
        "teams": "staffing-api:team-list",
    }
)

urlpatterns = [
    path("", root, name="api-root"),
    path("", include((router.urls, "tickets-api"))),
]
