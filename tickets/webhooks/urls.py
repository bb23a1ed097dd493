"""/tickets/webhooks/ (included by tickets/urls.py, in the ``tickets`` namespace)."""

from django.urls import path

from tickets.webhooks import views

urlpatterns = [
    path("", views.webhook_list, name="webhook-list"),
    path("<int:pk>/", views.webhook_detail, name="webhook-detail"),
    path("<int:pk>/test/", views.webhook_test, name="webhook-test"),
    path("<int:pk>/secret/", views.webhook_rotate_secret, name="webhook-secret"),
    path("<int:pk>/delete/", views.webhook_delete, name="webhook-delete"),
]
