from django.urls import path

from kpis.api import views

app_name = "kpis-api"

urlpatterns = [
    path("kpis/summary/", views.summary, name="summary"),
    path("kpis/timeseries/", views.timeseries, name="timeseries"),
    path("tickets/<int:id>/metrics/", views.ticket_metrics, name="ticket-metrics"),
]
