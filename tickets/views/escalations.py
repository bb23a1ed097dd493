"""Escalation pages: escalate from the workspace, the managers' board, director rules."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from csops import permissions
from csops.errors import DomainError, NotAllowed, NotFound
from csops.htmx import domain_errors
from tickets import selectors_escalations as selectors
from tickets.filters_escalations import EscalationFilter
from tickets.forms_escalations import EscalateForm, GuidanceForm, RuleForm
from tickets.models import Escalation, EscalationRule
from tickets.services import escalation_rules as rule_services
from tickets.services import escalations as services
from tickets.templatetags.escalation_tags import panel_context

BOARD = "tickets/escalations.html"
RULES = "tickets/escalation_rules.html"


def _client_redirect(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@domain_errors
def ticket_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = permissions.access_ticket(request.user, pk)
    form = EscalateForm(request.POST, team=ticket.team)
    error: DomainError | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            escalation = services.escalate(
                pk,
                by=request.user,
                target=data["target"],
                to_team=data["to_team"],
                category=data["category"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except DomainError as exc:
            if exc.status not in (409, 422):
                raise
            error = exc
            for field, errs in exc.fields.items():
                if field in form.fields:
                    form.add_error(field, errs)
        else:
            messages.success(
                request, f"Ticket #{pk} escalated to {escalation.destination} (#{escalation.pk})."
            )
            if permissions.can_work_ticket(request.user, escalation.ticket):
                return _client_redirect(request, reverse("tickets:ticket-detail", args=[pk]))
            return _client_redirect(request, reverse("tickets:queue"))
    context = {
        "ticket": ticket,
        "escalation_panel": panel_context(request.user, ticket, form=form),
        "error": error,
    }
    status = error.status if error else 422
    if request.htmx:
        return render(request, "tickets/_escalate.html", context, status=status)
    return render(request, "tickets/escalation_form_page.html", context, status=status)


@require_GET
@domain_errors
def escalation_board(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_escalation_board(request.user):
        raise NotAllowed("Only managers and directors see the escalations board.")
    filterset = EscalationFilter(
        request.GET or {"state": "active"}, queryset=selectors.board_escalations(request.user)
    )
    qs = filterset.qs if filterset.is_valid() else selectors.board_escalations(request.user)
    context = {
        "form": filterset.form,
        "escalations": qs[:200],
        "metrics": selectors.escalation_metrics(qs),
        "guidance_form": GuidanceForm(),
        "can_manage_rules": permissions.can_manage_escalation_rules(request.user),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, f"{BOARD}#board" if partial else BOARD, context)
    response["Vary"] = "HX-Request"
    return response


def _after_action(request: HttpRequest, escalation: Escalation, text: str) -> HttpResponse:
    if request.htmx:
        escalation = selectors.board_escalations(request.user).get(pk=escalation.pk)
        context = {"e": escalation, "guidance_form": GuidanceForm()}
        response = render(request, f"{BOARD}#row", context)
        response["HX-Trigger"] = "escalations-changed"
        return response
    messages.success(request, text)
    return redirect("tickets:escalation-board")


@require_POST
@domain_errors
def escalation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = services.accept(pk, by=request.user)
    return _after_action(request, escalation, f"You accepted escalation #{pk}.")


@require_POST
@domain_errors
def escalation_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    form = GuidanceForm(request.POST)
    form.is_valid()
    escalation = services.resolve(pk, by=request.user, guidance=form.cleaned_data["guidance"])
    return _after_action(request, escalation, f"Escalation #{pk} resolved.")


@require_POST
@domain_errors
def escalation_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = GuidanceForm(request.POST)
    form.is_valid()
    escalation = services.return_to_rep(pk, by=request.user, guidance=form.cleaned_data["guidance"])
    return _after_action(request, escalation, f"Escalation #{pk} returned with guidance.")


# --- Rules (directors) --------------------------------------------------------------------


def _ensure_rules_role(request: HttpRequest) -> None:
    if not permissions.can_manage_escalation_rules(request.user):
        raise NotAllowed("Only directors manage escalation rules.")


@require_http_methods(["GET", "POST"])
@domain_errors
def escalation_rules(request: HttpRequest) -> HttpResponse:
    _ensure_rules_role(request)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rule = services.save_rule(form.instance, by=request.user)
        messages.success(request, f"Rule “{rule.name}” created.")
        return _client_redirect(request, reverse("tickets:escalation-rules"))
    context = {"rules": EscalationRule.objects.select_related("reassign_team"), "form": form}
    status = 422 if form.errors else 200
    return render(request, RULES, context, status=status)


@require_http_methods(["GET", "POST"])
@domain_errors
def escalation_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_rules_role(request)
    rule = EscalationRule.objects.filter(pk=pk).first()
    if rule is None:
        raise NotFound(f"Rule #{pk} does not exist.")
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        services.save_rule(form.instance, by=request.user)
        messages.success(request, f"Rule “{rule.name}” saved.")
        return _client_redirect(request, reverse("tickets:escalation-rules"))
    status = 422 if form.errors else 200
    return render(
        request, "tickets/escalation_rule_edit.html", {"rule": rule, "form": form}, status=status
    )


@require_POST
@domain_errors
def escalation_rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_rules_role(request)
    rule_services.delete_rule(pk, by=request.user)
    messages.success(request, f"Rule #{pk} deleted.")
    return _client_redirect(request, reverse("tickets:escalation-rules"))
