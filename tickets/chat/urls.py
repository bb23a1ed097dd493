"""/tickets/chat/ (included by tickets/urls.py, in the ``tickets`` namespace)."""

from django.urls import path

from tickets.chat import views

urlpatterns = [
    path("", views.chat_list, name="chat-list"),
    path("<int:pk>/", views.chat_detail, name="chat-detail"),
    path("<int:pk>/test/", views.chat_test, name="chat-test"),
    path("<int:pk>/delete/", views.chat_delete, name="chat-delete"),
]
