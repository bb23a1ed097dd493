"""Macro pages: the list (all staff) and create/edit (managers and above)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from csops import permissions
from csops.errors import DomainError, NotFound
from csops.htmx import domain_errors
from policies.forms_macros import MacroForm
from policies.markup import PLACEHOLDERS
from policies.models import Macro
from policies.services import macros as services
from policies.views.documents import form_error

TEMPLATE = "policies/macro_form.html"


@require_GET
def macro_list(request: HttpRequest) -> HttpResponse:
    macros = Macro.objects.select_related("policy").prefetch_related("add_tags")
    context = {"macros": macros, "can_edit": permissions.can_manage_macros(request.user)}
    return render(request, "policies/macro_list.html", context)


def _save(request: HttpRequest, form: MacroForm, macro: Macro | None) -> HttpResponse:
    context = {"macro": macro, "placeholders": PLACEHOLDERS}
    if request.method == "GET" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, TEMPLATE, {**context, "form": form}, status=status)
    try:
        if macro is None:
            services.create_macro(by=request.user, **form.cleaned_data)
        else:
            services.update_macro(macro.pk, by=request.user, **form.cleaned_data)
    except DomainError as exc:
        return form_error(request, TEMPLATE, context, form, exc)
    return redirect("policies:macro-list")


@require_http_methods(["GET", "POST"])
@domain_errors
def macro_new(request: HttpRequest) -> HttpResponse:
    permissions.ensure_policy_role(permissions.can_manage_macros(request.user), "maintain macros")
    return _save(request, MacroForm(request.POST or None), None)


@require_http_methods(["GET", "POST"])
@domain_errors
def macro_edit(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_policy_role(permissions.can_manage_macros(request.user), "maintain macros")
    macro = Macro.objects.filter(pk=pk).first()
    if macro is None:
        raise NotFound(f"Macro #{pk} does not exist.")
    return _save(request, MacroForm.for_macro(macro, request.POST or None), macro)
