from django.urls import path

from tickets.views import create, queue, workspace

app_name = "tickets"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("new/", create.ticket_new, name="ticket-new"),
    path("<int:pk>/", workspace.ticket_detail, name="ticket-detail"),
    path("<int:pk>/claim/", workspace.ticket_claim, name="ticket-claim"),
    path("<int:pk>/reply/", workspace.ticket_reply, name="ticket-reply"),
    path("<int:pk>/update/", workspace.ticket_update, name="ticket-update"),
]
