"""/tickets/views/ (included by tickets/urls.py, in the ``tickets`` namespace)."""

from django.urls import path

from tickets.saved_views import views

urlpatterns = [
    path("", views.saved_view_create, name="saved-view-create"),
    path("counts/", views.saved_view_counts, name="saved-view-counts"),
    path("<int:pk>/delete/", views.saved_view_delete, name="saved-view-delete"),
]
