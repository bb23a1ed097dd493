"""The workspace's procedure checklist and the reply box's macros."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from csops import permissions
from csops.bounds import column_bounds
from csops.errors import InvalidInput, NotFound
from csops.htmx import domain_errors
from policies.markup import render_macro
from policies.models import Macro
from tickets import selectors_procedures
from tickets.forms import ReplyForm
from tickets.models import Ticket
from tickets.services import procedures
from tickets.views.workspace import _done


@column_bounds(Ticket)
class TickForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    step = forms.IntegerField(min_value=0)
    checked = forms.BooleanField(required=False)


class MacroPickForm(forms.Form):
    macro = forms.IntegerField(min_value=1)


@require_POST
@domain_errors
def ticket_checklist_tick(request: HttpRequest, pk: int) -> HttpResponse:
    form = TickForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose a step.", fields=form.errors.get_json_data())
    data = form.cleaned_data
    ticket = procedures.tick_step(
        pk, by=request.user, version_id=data["version"], step=data["step"], checked=data["checked"]
    )
    return _done(request, ticket)


@require_GET
@domain_errors
def ticket_macro(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill the reply box with a macro rendered for this ticket. htmx swaps the textarea and
    the status select in place; without JS this page shows the filled reply form."""
    ticket = permissions.access_ticket(request.user, pk)
    # The picker's select (``macro_pick``) wins over the reply form's hidden ``macro`` field.
    pick = MacroPickForm({"macro": request.GET.get("macro_pick") or request.GET.get("macro")})
    if not pick.is_valid():
        raise InvalidInput("Choose a macro.", fields={"macro": ["Choose a macro."]})
    macro = Macro.objects.filter(pk=pick.cleaned_data["macro"], active=True).first()
    if macro is None:
        raise NotFound("That macro does not exist.")
    body = render_macro(macro.body, selectors_procedures.macro_values(ticket, request.user))
    form = ReplyForm(
        initial={
            "body": body,
            "kind": request.GET.get("kind") or "public",
            "status": macro.set_status,
            "version": ticket.version,
            "macro": macro.pk,
        }
    )
    context = {"ticket": ticket, "macro": macro, "reply_form": form}
    template = "policies/macro_apply.html#fill" if request.htmx else "policies/macro_apply.html"
    return render(request, template, context)
