"""Routes of /api/v1/: each app contributes its router."""

from django.urls import include, path

urlpatterns = [
    path("", include("tickets.api.urls")),
    path("", include("kpis.api.urls")),
    path("", include("kpis.api.goals")),  # /api/v1/goals/
    path("", include("kpis.digests.api")),  # /api/v1/kpi-digests/
    path("", include("staffing.api.urls")),
    path("", include("policies.api.urls")),
    path("", include("policies.knowledge.api.urls")),
]
