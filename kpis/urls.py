from django.urls import path

from kpis.digests import views as digests
from kpis.views import dashboard, exports, goals, voice

app_name = "kpis"
urlpatterns = [
    path("", dashboard.dashboard_page, name="dashboard"),
    path("drill/", dashboard.drilldown, name="drill"),
    path("table/<str:by>/", dashboard.table_fragment, name="table"),
    path("knowledge/", dashboard.knowledge_fragment, name="knowledge"),
    path("freshness/", dashboard.freshness, name="freshness"),
    path("rebuild/", dashboard.rebuild, name="rebuild"),
    path("rebuild/progress/", dashboard.rebuild_progress, name="rebuild-progress"),
    path("export/tickets.csv", exports.export_tickets, name="export-tickets"),
    path("export/<str:name>.csv", exports.export_table, name="export"),
    path("goals/", goals.goals_page, name="goals"),
    path("goals/<int:pk>/delete/", goals.goal_delete, name="goal-delete"),
    path("voice/", voice.voice, name="voice"),
    # KPI digests by mail (kpis/digests)
    path("digests/", digests.digests, name="digests"),
    path("digests/subscribe/", digests.subscribe, name="digest-subscribe"),
    path("digests/<int:pk>/unsubscribe/", digests.unsubscribe, name="digest-cancel"),
    path("digests/<int:pk>/preview/", digests.preview, name="digest-preview"),
    path("digests/unsubscribe/<str:token>/", digests.unsubscribe_link, name="digest-unsubscribe"),
]
