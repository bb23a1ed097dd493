"""SLA policy pages: list and detail for staff; create and edit (a new version) for
directors. A change applies to tickets created from its effective time on (§9.5)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from csops import permissions
from csops.errors import DomainError, NotFound
from csops.htmx import domain_errors
from policies import selectors
from policies.forms import SlaPolicyForm
from policies.models import SlaPolicy
from policies.services import sla as services
from policies.views.sla_common import form_refused

FORM = "policies/sla_policy_form.html"


def _policy(pk: int) -> SlaPolicy:
    policy = selectors.sla_policies().filter(pk=pk).first()
    if policy is None:
        raise NotFound(f"SLA policy #{pk} does not exist.")
    return policy


@require_GET
def sla_policy_list(request: HttpRequest) -> HttpResponse:
    context = {
        "policies": selectors.sla_policies(),
        "can_manage": permissions.can_manage_sla(request.user),
    }
    return render(request, "policies/sla_policy_list.html", context)


@require_GET
@domain_errors
def sla_policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(pk)
    versions = [(v, selectors.condition_labels(v)) for v in policy.versions.all()]
    context = {
        "policy": policy,
        "versions": versions,
        "can_manage": permissions.can_manage_sla(request.user),
    }
    return render(request, "policies/sla_policy_detail.html", context)


@require_http_methods(["GET", "POST"])
@domain_errors
def sla_policy_new(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_manage_sla(request.user)
    form = SlaPolicyForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        return render(request, FORM, {"form": form}, status=422 if form.is_bound else 200)
    data = form.cleaned_data
    try:
        version = services.create_policy(
            by=request.user,
            name=data["name"],
            position=data["position"],
            active=data["active"],
            spec=form.spec(),
        )
    except DomainError as exc:
        return form_refused(request, FORM, {}, form, exc)
    return redirect("policies:sla-policy-detail", pk=version.policy_id)


@require_http_methods(["GET", "POST"])
@domain_errors
def sla_policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_manage_sla(request.user)
    policy = _policy(pk)
    form = SlaPolicyForm.for_version(
        policy.versions.all()[0], request.POST if request.method == "POST" else None
    )
    context = {"policy": policy}
    if request.method == "GET" or not form.is_valid():
        status = 422 if form.is_bound else 200
        return render(request, FORM, {**context, "form": form}, status=status)
    data = form.cleaned_data
    try:
        services.revise_policy(
            policy.pk,
            by=request.user,
            name=data["name"],
            position=data["position"],
            active=data["active"],
            spec=form.spec(),
        )
    except DomainError as exc:
        return form_refused(request, FORM, context, form, exc)
    return redirect("policies:sla-policy-detail", pk=policy.pk)
