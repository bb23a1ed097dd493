"""Shared by the SLA policy and calendar pages: a service's refusal shown on the form."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from csops.errors import DomainError


def form_refused(
    request: HttpRequest, template: str, context: dict, form: forms.Form, exc: DomainError
) -> HttpResponse:
    """Put a service's field errors next to the fields (others above the form); 422."""
    for field, messages in exc.fields.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not exc.fields:
        form.add_error(None, exc.detail)
    return render(request, template, {**context, "form": form}, status=exc.status)
