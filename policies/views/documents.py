"""Policy pages: the list with search and filters, a document, a version, drafting, the diff
between two versions, and the audit history."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csops import permissions
from csops.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from csops.htmx import domain_errors
from policies import markup, selectors_documents
from policies.filters_documents import DocumentFilter
from policies.forms_documents import (
    DiffForm,
    DocumentCreateForm,
    DocumentEditForm,
    TransitionForm,
    VersionForm,
)
from policies.models import PolicyVersion
from policies.services import documents as services


def form_error(request, template: str, context: dict, form: forms.Form, exc: DomainError):
    """Show a service's refusal next to the fields it names (422), or above the form."""
    for name, messages in exc.fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    if not exc.fields:
        form.add_error(None, exc.detail)
    return render(request, template, {**context, "form": form}, status=exc.status)


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    filterset = DocumentFilter(request.GET or None, request=request)
    context = {
        "filter": filterset,
        "documents": selectors_documents.with_latest_state(filterset.qs[:200]),
        "can_edit": permissions.can_edit_policies(request.user),
        "can_audit": permissions.can_view_policy_audit(request.user),
    }
    template = (
        "policies/document_list.html#results" if request.htmx else "policies/document_list.html"
    )
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@domain_errors
def document_new(request: HttpRequest) -> HttpResponse:
    permissions.ensure_policy_role(permissions.can_edit_policies(request.user), "write policies")
    template = "policies/document_form.html"
    form = DocumentCreateForm(request.POST or None)
    form.lock_self_approval(
        may_change=services.may_set_self_approval(request.user), allowed_now=False
    )
    if request.method == "GET" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, template, {"form": form, "creating": True}, status=status)
    data = form.cleaned_data
    try:
        version = services.create_document(
            by=request.user,
            title=data["title"],
            kind=data["kind"],
            approver=data["approver"],
            allow_self_approval=data["allow_self_approval"],
            categories=data["categories"],
            tags=data["tags"],
            **form.version_data(),
        )
    except DomainError as exc:
        return form_error(request, template, {"creating": True}, form, exc)
    return redirect("policies:version-detail", pk=version.pk)


@require_GET
@domain_errors
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = permissions.access_policy_document(request.user, pk)
    versions = list(selectors_documents.visible_versions(request.user, document))
    context = {
        "document": document,
        "current": selectors_documents.current_version_of(document),
        "versions": versions,
        "can_edit": permissions.can_edit_policies(request.user),
    }
    return render(request, "policies/document_detail.html", context)


@require_http_methods(["GET", "POST"])
@domain_errors
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_policy_role(permissions.can_edit_policies(request.user), "edit policies")
    document = permissions.access_policy_document(request.user, pk)
    initial = {
        "title": document.title,
        "kind": document.kind,
        "categories": list(document.categories.all()),
        "tags": list(document.tags.all()),
        "owner": document.owner_id,
        "approver": document.approver_id,
        "allow_self_approval": document.allow_self_approval,
    }
    form = DocumentEditForm(request.POST or None, initial=initial)
    form.lock_self_approval(
        may_change=services.may_set_self_approval(request.user),
        allowed_now=document.allow_self_approval,
    )
    context = {"document": document}
    if request.method == "GET" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(
            request, "policies/document_form.html", {**context, "form": form}, status=status
        )
    try:
        services.update_document(pk, by=request.user, **form.cleaned_data)
    except DomainError as exc:
        return form_error(request, "policies/document_form.html", context, form, exc)
    return redirect("policies:document-detail", pk=pk)


@require_GET
@domain_errors
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = permissions.access_policy_version(request.user, pk)
    user = request.user
    context = {
        "version": version,
        "document": version.document,
        "transitions": version.transitions.select_related("by"),
        "ack": selectors_documents.my_acknowledgment(user, version),
        "can_edit": permissions.can_edit_policies(user),
        "can_approve": permissions.can_approve_version(user, version),
        "can_publish": permissions.can_publish_policies(user),
        "transition_form": TransitionForm(),
        "body_html": mark_safe(version.body_html),  # noqa: S308 - sanitized by nh3 on write
    }
    context["actions"] = _version_actions(
        version,
        can_edit=context["can_edit"],
        can_approve=context["can_approve"],
        can_publish=context["can_publish"],
    )
    return render(request, "policies/document_version.html", context)


def _version_actions(version, *, can_edit: bool, can_approve: bool, can_publish: bool) -> set[str]:
    """The buttons the version page offers this user (none: no actions card at all)."""
    state, actions = version.state, set()
    if state == "draft" and can_edit:
        actions |= {"edit", "submit"}
    if state == "in_review" and can_approve:
        actions.add("approve")
    if state in ("in_review", "approved") and can_approve:
        actions.add("send_back")
    if state == "approved" and can_publish:
        actions.add("publish")
    if state == "published" and can_publish:
        actions.add("retire")
    if state == "published" and version.ack_required and can_edit:
        actions.add("coverage")
    return actions


@require_POST
@domain_errors
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.access_policy_document(request.user, pk)
    version = services.start_draft(pk, by=request.user)
    return redirect("policies:version-edit", pk=version.pk)


@require_http_methods(["GET", "POST"])
@domain_errors
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_policy_role(permissions.can_edit_policies(request.user), "edit drafts")
    version = permissions.access_policy_version(request.user, pk)
    if not version.is_editable:
        raise InvalidTransition(
            f"Version {version.number} is {version.get_state_display().lower()} and cannot be"
            " edited; start a new draft instead."
        )
    template = "policies/document_version_form.html"
    form = VersionForm.for_version(version, request.POST or None)
    context = {"version": version, "document": version.document}
    if request.method == "GET" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, template, {**context, "form": form}, status=status)
    try:
        services.update_draft(pk, by=request.user, **form.version_data())
    except DomainError as exc:
        return form_error(request, template, context, form, exc)
    return redirect("policies:version-detail", pk=pk)


_ACTIONS = {
    "submit": services.submit,
    "approve": services.approve,
    "send-back": services.send_back,
    "publish": services.publish,
    "retire": services.retire,
}


@require_POST
@domain_errors
def version_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    form = TransitionForm(request.POST)
    form.is_valid()
    _ACTIONS[action](pk, by=request.user, comment=form.cleaned_data.get("comment", ""))
    return redirect("policies:version-detail", pk=pk)


@require_GET
@domain_errors
def document_diff(request: HttpRequest, pk: int) -> HttpResponse:
    document = permissions.access_policy_document(request.user, pk)
    versions = selectors_documents.visible_versions(request.user, document)
    form = DiffForm(request.GET or None)
    context: dict = {"document": document, "versions": versions, "form": form}
    if form.is_bound and form.is_valid():
        by_number = {v.number: v for v in versions}
        a, b = by_number.get(form.cleaned_data["a"]), by_number.get(form.cleaned_data["b"])
        if a is None or b is None:
            raise NotFound("No such version of this document.")
        before, after = _lines(a), _lines(b)
        context |= {
            "a": a,
            "b": b,
            "added_removed": markup.diff_counts(before, after),
            # difflib.HtmlDiff escapes every line it puts in the table.
            "table": mark_safe(  # noqa: S308
                markup.diff_table(
                    before,
                    after,
                    before_label=f"Version {a.number}",
                    after_label=f"Version {b.number}",
                )
            ),
        }
    return render(request, "policies/document_diff.html", context)


def _lines(version: PolicyVersion) -> list[str]:
    return markup.version_lines(
        version.body, version.checklist, version.change_summary, version.effective_date.isoformat()
    )


@require_GET
@domain_errors
def policy_audit(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_policy_audit(request.user):
        raise NotAllowed("The audit history is for directors and admins.")
    entries = selectors_documents.audit_history(limit=200)
    return render(request, "policies/document_audit.html", {"entries": entries})
