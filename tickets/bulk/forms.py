from __future__ import annotations

from django import forms

from tickets.bulk.models import BulkKind


class BulkForm(forms.Form):
    kind = forms.ChoiceField(choices=BulkKind.choices, label="Action")
    ticket = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)
    # "Every ticket matching the queue's filters" instead of the ticked ones: ``query`` is
    # the queue's query string (tickets.bulk.selectors.matching_ticket_ids).
    all_matching = forms.BooleanField(required=False)
    query = forms.CharField(required=False, max_length=2000)

    def __init__(self, data=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        if data is not None:  # any ticket number may be chosen; the service checks each
            self.fields["ticket"].choices = [(v, v) for v in data.getlist("ticket")]

    def clean_ticket(self) -> list[int]:
        ids = self.cleaned_data["ticket"]
        if any(pk < 1 or pk > 2**31 - 1 for pk in ids):
            raise forms.ValidationError("Unknown ticket.")
        return ids

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("ticket") and not data.get("all_matching"):
            raise forms.ValidationError("Select at least one ticket.")
        return data

    def params(self) -> dict:
        """The action's fields, named as in tickets.bulk.services._clean_params."""
        data = self.data
        names = ("assignee", "status", "priority", "team", "macro", "incident", "into")
        out: dict = {n: data.get(n) for n in names if data.get(n) not in (None, "")}
        out["tags"] = data.get("tags", "")
        out["confirm_open_children"] = data.get("confirm_open_children") == "1"
        if "assignee" in data and data.get("assignee") == "":
            out["assignee"] = None
        return out

    def versions(self) -> dict[int, int]:
        out = {}
        for pk in self.cleaned_data.get("ticket") or []:
            raw = self.data.get(f"v{pk}")
            if raw and raw.isdigit():
                out[pk] = int(raw)
        return out
