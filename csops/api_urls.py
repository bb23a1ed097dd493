"""Routes of /api/v1/: each app contributes its router."""

from django.urls import include, path

urlpatterns = [
    path("", include("tickets.api.urls")),
    path("", include("staffing.api.urls")),
]
