"""Shared by the SLA policy and calendar pages: the create and edit form pages."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from csops.errors import DomainError


def posted(request: HttpRequest) -> QueryDict | None:
    """The data to bind a form to: the POST's, or ``None`` on GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    template: str,
    form: forms.Form,
    save: Callable[[], int],
    detail: str,
    context: dict | None = None,
) -> HttpResponse:
    """GET shows the form. A valid POST calls ``save()`` (the service call, returning the pk of
    the object to show) and redirects to its ``detail`` page. Invalid input is shown on the
    form (422), and so is a service's refusal (with its status): field errors next to their
    fields, the rest above the form."""
    status = 422 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            return redirect(detail, pk=save())
        except DomainError as exc:
            status = exc.status
            for field, messages in exc.fields.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
            if not exc.fields:
                form.add_error(None, exc.detail)
    return render(request, template, {**(context or {}), "form": form}, status=status)
