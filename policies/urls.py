from django.urls import path

from policies.views import acknowledgments, calendars, documents, macros, sla

app_name = "policies"
urlpatterns = [
    # Policies and procedures (documents, versions, acknowledgments) and macros.
    path("documents/", documents.document_list, name="document-list"),
    path("documents/new/", documents.document_new, name="document-new"),
    path("documents/<int:pk>/", documents.document_detail, name="document-detail"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document-edit"),
    path("documents/<int:pk>/new-draft/", documents.version_new, name="version-new"),
    path("documents/<int:pk>/diff/", documents.document_diff, name="document-diff"),
    path("versions/<int:pk>/", documents.version_detail, name="version-detail"),
    path("versions/<int:pk>/edit/", documents.version_edit, name="version-edit"),
    path("versions/<int:pk>/submit/", documents.version_transition, {"action": "submit"},
         name="version-submit"),
    path("versions/<int:pk>/approve/", documents.version_transition, {"action": "approve"},
         name="version-approve"),
    path("versions/<int:pk>/send-back/", documents.version_transition, {"action": "send-back"},
         name="version-send-back"),
    path("versions/<int:pk>/publish/", documents.version_transition, {"action": "publish"},
         name="version-publish"),
    path("versions/<int:pk>/retire/", documents.version_transition, {"action": "retire"},
         name="version-retire"),
    path("versions/<int:pk>/acknowledge/", acknowledgments.version_acknowledge,
         name="version-acknowledge"),
    path("versions/<int:pk>/coverage/", acknowledgments.version_coverage,
         name="version-coverage"),
    path("versions/<int:pk>/remind/", acknowledgments.version_remind, name="version-remind"),
    path("audit/", documents.policy_audit, name="policy-audit"),
    path("macros/", macros.macro_list, name="macro-list"),
    path("macros/new/", macros.macro_new, name="macro-new"),
    path("macros/<int:pk>/edit/", macros.macro_edit, name="macro-edit"),
    # SLA policies and business calendars (directors write; staff read).
    path("sla/", sla.sla_policy_list, name="sla-policy-list"),
    path("sla/new/", sla.sla_policy_new, name="sla-policy-new"),
    path("sla/<int:pk>/", sla.sla_policy_detail, name="sla-policy-detail"),
    path("sla/<int:pk>/edit/", sla.sla_policy_edit, name="sla-policy-edit"),
    path("calendars/", calendars.calendar_list, name="calendar-list"),
    path("calendars/new/", calendars.calendar_new, name="calendar-new"),
    path("calendars/settings/", calendars.calendar_settings, name="calendar-settings"),
    path("calendars/<int:pk>/", calendars.calendar_detail, name="calendar-detail"),
    path("calendars/<int:pk>/edit/", calendars.calendar_edit, name="calendar-edit"),
]  # fmt: skip
