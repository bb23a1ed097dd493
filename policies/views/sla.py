"""SLA policy pages: list and detail for staff; create and edit (a new version) for
directors. A change applies to tickets created from its effective time on (§9.5)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from csops import permissions
from csops.errors import NotFound
from csops.htmx import domain_errors
from policies import selectors
from policies.forms import SlaPolicyForm
from policies.models import SlaPolicy
from policies.services import sla as services
from policies.views.sla_common import form_page, posted

FORM = "policies/sla_policy_form.html"
DETAIL = "policies:sla-policy-detail"


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


def _fields(form: SlaPolicyForm) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "position": data["position"],
        "active": data["active"],
        "spec": form.spec(),
    }


@require_http_methods(["GET", "POST"])
@domain_errors
def sla_policy_new(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_manage_sla(request.user)
    form = SlaPolicyForm(posted(request))

    def save() -> int:
        return services.create_policy(by=request.user, **_fields(form)).policy_id

    return form_page(request, FORM, form, save, DETAIL)


@require_http_methods(["GET", "POST"])
@domain_errors
def sla_policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_manage_sla(request.user)
    policy = _policy(pk)
    form = SlaPolicyForm.for_version(policy.versions.all()[0], posted(request))

    def save() -> int:
        services.revise_policy(policy.pk, by=request.user, **_fields(form))
        return policy.pk

    return form_page(request, FORM, form, save, DETAIL, {"policy": policy})
