from django.urls import include, path
from rest_framework.routers import SimpleRouter

from policies.api import documents, sla

router = SimpleRouter()
router.register("policies", documents.DocumentViewSet, basename="policy")
router.register("acknowledgments", documents.AcknowledgmentViewSet, basename="acknowledgment")
router.register("macros", documents.MacroViewSet, basename="macro")
router.register("sla-policies", sla.SlaPolicyViewSet, basename="sla-policy")
router.register("calendars", sla.CalendarViewSet, basename="calendar")

versions = documents.VersionViewSet
_version_routes = [
    path(
        "policies/<str:document_pk>/versions/",
        versions.as_view({"get": "list", "post": "create"}),
        name="version-list",
    ),
    path(
        "policies/<str:document_pk>/versions/<str:pk>/",
        versions.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="version-detail",
    ),
    path(
        "policies/<str:document_pk>/versions/<str:pk>/acknowledge/",
        versions.as_view({"post": "acknowledge"}),
        name="version-acknowledge",
    ),
    *(
        path(
            f"policies/<str:document_pk>/versions/<str:pk>/{action}/",
            versions.as_view({"post": "transition"}),
            {"action": action},
            name=f"version-{action}",
        )
        for action in ("submit", "approve", "send-back", "publish", "retire")
    ),
]

urlpatterns = [
    path("", include((router.urls + _version_routes, "policies-api"))),
]
