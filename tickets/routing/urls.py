"""/tickets/routing/ (included by tickets/urls.py, in the ``tickets`` namespace)."""

from django.urls import path

from tickets.routing import views

urlpatterns = [
    path("", views.routing_board, name="routing-board"),
    path("teams/<int:team_pk>/", views.routing_settings, name="routing-settings"),
    path("availability/", views.set_availability, name="availability-set"),
]
