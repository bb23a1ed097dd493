"""Permission matrix rows: policy pages, macros, the workspace's procedure URLs, the API."""

from __future__ import annotations

from policies.models import Acknowledgment, PolicyVersion
from policies.services import documents as services
from policies.services import macros as macro_services
from tests.factories import UserFactory, make_ticket
from tests.matrix import Row, api_staff, staff
from tests.policies.documents_helpers import category, draft, published
from tickets.models import TicketEvent

REPS_403 = {"rep": 403, "rep_other_team": 403}
JSON = "application/json"


def _author():
    return UserFactory(username="mona", role="Manager")


def _published(ctx, **kw) -> PolicyVersion:
    version = published(_author(), ctx["users"]["director"], **kw)
    ctx["version"] = version
    return version


def _state(ctx, state: str) -> PolicyVersion:
    author = _author()
    version = draft(author)
    if state in ("in_review", "approved"):
        services.submit(version.pk, by=author)
    if state == "approved":
        services.approve(version.pk, by=ctx["users"]["director"])
    ctx["version"] = version
    return version


def doc_kwargs(ctx) -> dict:
    return {"pk": _published(ctx).document_id}


def version_kwargs(ctx) -> dict:
    return {"pk": _published(ctx).pk}


def ack_kwargs(ctx) -> dict:
    return {"pk": _published(ctx, ack_required=True, ack_teams=[ctx["team"]]).pk}


def state_kwargs(state: str):
    return lambda ctx: {"pk": _state(ctx, state).pk}


def version_snapshot(ctx):
    v = PolicyVersion.objects.get(pk=ctx["version"].pk)
    return (v.state, v.transitions.count(), PolicyVersion.objects.count())


def ack_snapshot(ctx):
    return list(Acknowledgment.objects.order_by("pk").values_list("acknowledged_at", flat=True))


def macro_kwargs(ctx) -> dict:
    macro = macro_services.create_macro(by=ctx["users"]["director"], title="Hi", body="Hi")
    ctx["macro"] = macro
    return {"pk": macro.pk}


def ticket_kwargs(ctx) -> dict:
    version = _published(ctx, categories=[category("Refunds")])
    ctx["ticket"] = make_ticket(ctx["team"], category=category("Refunds"))
    ctx["macro"] = macro_services.create_macro(by=ctx["users"]["director"], title="Hi", body="Hi")
    ctx["step"] = {"version": version.pk, "step": 0, "checked": "on"}
    return {"pk": ctx["ticket"].pk}


def tick_snapshot(ctx):
    return TicketEvent.objects.filter(ticket=ctx["ticket"], type="checklist_ticked").count()


def api_version_kwargs(ctx) -> dict:
    version = _published(ctx)
    return {"document_pk": version.document_id, "pk": version.pk}


def api_ack_version_kwargs(ctx) -> dict:
    version = _published(ctx, ack_required=True, ack_teams=[ctx["team"]])
    return {"document_pk": version.document_id, "pk": version.pk}


def api_state_kwargs(state: str):
    def build(ctx) -> dict:
        version = _state(ctx, state) if state != "published" else _published(ctx)
        return {"document_pk": version.document_id, "pk": version.pk}

    return build


def api_ack_kwargs(ctx) -> dict:
    version = _published(ctx, ack_required=True, ack_teams=[ctx["team"]])
    return {"pk": Acknowledgment.objects.get(version=version, user=ctx["users"]["rep"]).pk}


_APPROVE = {**staff(302), "rep": 404, "rep_other_team": 404, "manager": 403}
_PUBLISH = {**staff(302), **REPS_403, "manager": 403}
_ACK = {**staff(302), "rep_other_team": 422, "director": 422, "admin": 422}
_API_APPROVE = {**api_staff(200), "rep": 404, "rep_other_team": 404, "manager": 403}
_API_PUBLISH = {**api_staff(200), **REPS_403, "manager": 403}
# The API resolves the version first: to a rep a version that is not published is a 404.
_API_SUBMIT = {**api_staff(200), "rep": 404, "rep_other_team": 404}
_API_PUBLISH_UNPUBLISHED = {**_API_PUBLISH, "rep": 404, "rep_other_team": 404}

ROWS: dict[str, Row] = {
    # Pages
    "policies:document-list": Row("get", staff(200)),
    "policies:document-new": Row("get", staff(200, **REPS_403)),
    "policies:document-detail": Row("get", staff(200), kwargs=doc_kwargs),
    "policies:document-edit": Row("get", staff(200, **REPS_403), kwargs=doc_kwargs),
    "policies:document-diff": Row(
        "get", staff(200), kwargs=doc_kwargs, data=lambda ctx: {"a": 1, "b": 1}
    ),
    "policies:version-new": Row(
        "post", staff(302, **REPS_403), kwargs=doc_kwargs, snapshot=version_snapshot
    ),
    "policies:version-detail": Row("get", staff(200), kwargs=version_kwargs),
    "policies:version-edit": Row("get", staff(200, **REPS_403), kwargs=state_kwargs("draft")),
    "policies:version-submit": Row(
        "post", staff(302, **REPS_403), kwargs=state_kwargs("draft"), snapshot=version_snapshot
    ),
    "policies:version-approve": Row(
        "post", _APPROVE, kwargs=state_kwargs("in_review"), snapshot=version_snapshot
    ),
    "policies:version-send-back": Row(
        "post", _APPROVE, kwargs=state_kwargs("in_review"), snapshot=version_snapshot,
        data=lambda ctx: {"comment": "Shorter, please."},
    ),
    "policies:version-publish": Row(
        "post", _PUBLISH, kwargs=state_kwargs("approved"), snapshot=version_snapshot
    ),
    "policies:version-retire": Row(
        "post", _PUBLISH, kwargs=version_kwargs, snapshot=version_snapshot
    ),
    "policies:version-acknowledge": Row(
        "post", _ACK, kwargs=ack_kwargs, snapshot=ack_snapshot
    ),
    "policies:version-coverage": Row("get", staff(200, **REPS_403), kwargs=ack_kwargs),
    "policies:version-remind": Row(
        "post", staff(302, **REPS_403), kwargs=ack_kwargs, snapshot=ack_snapshot,
        data=lambda ctx: {"team": ctx["team"].pk},
    ),
    "policies:policy-audit": Row("get", staff(200, **REPS_403, manager=403)),
    "policies:macro-list": Row("get", staff(200)),
    "policies:macro-new": Row("get", staff(200, **REPS_403)),
    "policies:macro-edit": Row("get", staff(200, **REPS_403), kwargs=macro_kwargs),
    "tickets:ticket-checklist-tick": Row(
        "post", staff(302, rep_other_team=404), kwargs=ticket_kwargs, snapshot=tick_snapshot,
        data=lambda ctx: ctx["step"],
    ),
    "tickets:ticket-macro": Row(
        "get", staff(200, rep_other_team=404), kwargs=ticket_kwargs,
        data=lambda ctx: {"macro_pick": ctx["macro"].pk},
    ),
    # API
    "policies-api:policy-list": Row("get", api_staff(200)),
    "policies-api:policy-detail": Row("get", api_staff(200), kwargs=doc_kwargs),
    "policies-api:version-list": Row(
        "get", api_staff(200), kwargs=lambda ctx: {"document_pk": _published(ctx).document_id}
    ),
    "policies-api:version-detail": Row("get", api_staff(200), kwargs=api_version_kwargs),
    "policies-api:version-acknowledge": Row(
        "post", {**api_staff(200), "rep_other_team": 422, "director": 422, "admin": 422},
        kwargs=api_ack_version_kwargs, snapshot=ack_snapshot, content_type=JSON,
    ),
    "policies-api:version-submit": Row(
        "post", _API_SUBMIT, kwargs=api_state_kwargs("draft"),
        snapshot=version_snapshot, content_type=JSON,
    ),
    "policies-api:version-approve": Row(
        "post", _API_APPROVE, kwargs=api_state_kwargs("in_review"), snapshot=version_snapshot,
        content_type=JSON,
    ),
    "policies-api:version-send-back": Row(
        "post", _API_APPROVE, kwargs=api_state_kwargs("in_review"), snapshot=version_snapshot,
        data=lambda ctx: {"comment": "Shorter."}, content_type=JSON,
    ),
    "policies-api:version-publish": Row(
        "post", _API_PUBLISH_UNPUBLISHED, kwargs=api_state_kwargs("approved"),
        snapshot=version_snapshot,
        content_type=JSON,
    ),
    "policies-api:version-retire": Row(
        "post", _API_PUBLISH, kwargs=api_state_kwargs("published"), snapshot=version_snapshot,
        content_type=JSON,
    ),
    "policies-api:acknowledgment-list": Row("get", api_staff(200)),
    "policies-api:acknowledgment-detail": Row(
        "get", api_staff(200, rep_other_team=404), kwargs=api_ack_kwargs
    ),
    "policies-api:macro-list": Row("get", api_staff(200)),
    "policies-api:macro-detail": Row("get", api_staff(200), kwargs=macro_kwargs),
}  # fmt: skip
