from django.urls import include, path

from tickets.attachments import views as attachments
from tickets.bulk import views as bulk
from tickets.knowledge import views as knowledge
from tickets.links import views as links
from tickets.mail import views as mail
from tickets.presence import views as presence
from tickets.routing import views as routing
from tickets.views import create, escalations, incidents, procedures, queue, workspace

app_name = "tickets"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("new/", create.ticket_new, name="ticket-new"),
    path("<int:pk>/", workspace.ticket_detail, name="ticket-detail"),
    path("<int:pk>/claim/", workspace.ticket_claim, name="ticket-claim"),
    path("<int:pk>/reply/", workspace.ticket_reply, name="ticket-reply"),
    path("<int:pk>/update/", workspace.ticket_update, name="ticket-update"),
    path("<int:pk>/checklist/", procedures.ticket_checklist_tick, name="ticket-checklist-tick"),
    path("<int:pk>/macro/", procedures.ticket_macro, name="ticket-macro"),
    # Collision (issue 15): who else has the ticket open, who is writing
    path("<int:pk>/presence/", presence.ticket_presence, name="ticket-presence"),
    path("<int:pk>/presence/leave/", presence.ticket_presence_leave, name="ticket-presence-leave"),
    # The knowledge panel: suggested articles, insert into the reply, "this answered it".
    path("<int:pk>/articles/", knowledge.ticket_articles, name="ticket-articles"),
    path(
        "<int:pk>/articles/insert/", knowledge.ticket_article_insert, name="ticket-article-insert"
    ),
    path("<int:pk>/articles/link/", knowledge.ticket_article_link, name="ticket-article-link"),
    # Bulk work from the queue (issue 15)
    path("bulk/", bulk.bulk_start, name="bulk-start"),
    path("bulk/<int:pk>/", bulk.bulk_detail, name="bulk-detail"),
    # Merge and link (issue 15)
    path("<int:pk>/links/", links.ticket_link, name="ticket-link"),
    path("<int:pk>/links/<int:link_pk>/delete/", links.ticket_unlink, name="ticket-unlink"),
    path("<int:pk>/merge/", links.ticket_merge, name="ticket-merge"),
    path("outbox/<int:pk>/retry/", mail.outbound_retry, name="outbound-retry"),
    path(
        "attachments/<int:pk>/download/",
        attachments.attachment_download,
        name="attachment-download",
    ),
    # Escalations and incidents (issue 3)
    path("<int:pk>/escalate/", escalations.ticket_escalate, name="ticket-escalate"),
    path("escalations/", escalations.escalation_board, name="escalation-board"),
    path("escalations/<int:pk>/accept/", escalations.escalation_accept, name="escalation-accept"),
    path(
        "escalations/<int:pk>/resolve/", escalations.escalation_resolve, name="escalation-resolve"
    ),
    path("escalations/<int:pk>/return/", escalations.escalation_return, name="escalation-return"),
    path("escalations/rules/", escalations.escalation_rules, name="escalation-rules"),
    path(
        "escalations/rules/<int:pk>/",
        escalations.escalation_rule_edit,
        name="escalation-rule-edit",
    ),
    path(
        "escalations/rules/<int:pk>/delete/",
        escalations.escalation_rule_delete,
        name="escalation-rule-delete",
    ),
    path("incidents/", incidents.incident_list, name="incident-list"),
    path("incidents/link/", incidents.incident_link_selected, name="incident-link-selected"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/edit/", incidents.incident_edit, name="incident-edit"),
    path("incidents/<int:pk>/link/", incidents.incident_link, name="incident-link"),
    path(
        "incidents/<int:pk>/tickets/<int:ticket_pk>/unlink/",
        incidents.incident_unlink,
        name="incident-unlink",
    ),
    path("incidents/<int:pk>/updates/", incidents.incident_post_update, name="incident-update"),
    path("incidents/<int:pk>/resolve/", incidents.incident_resolve, name="incident-resolve"),
    path(
        "incidents/updates/<int:pk>/progress/",
        incidents.incident_update_progress,
        name="incident-update-progress",
    ),
    path("incidents/alerts/<int:pk>/dismiss/", incidents.spike_dismiss, name="spike-dismiss"),
    # Outgoing webhooks (issue 17)
    path("webhooks/", include("tickets.webhooks.urls")),
    # Saved views of the queue (issue 15)
    path("views/", include("tickets.saved_views.urls")),
    # Chat notifications to teams' Slack and Teams channels (issue 17)
    path("chat/", include("tickets.chat.urls")),
    # Routing: the managers' page, availability, a ticket's required skills (issue 15)
    path("routing/", include("tickets.routing.urls")),
    path(
        "<int:pk>/required-skills/", routing.ticket_required_skills, name="ticket-required-skills"
    ),
]
