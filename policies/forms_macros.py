from __future__ import annotations

from django import forms

from csops.widgets import chips
from policies.markup import PLACEHOLDERS
from policies.models import PolicyDocument, Tag
from policies.models.macros import MACRO_PRIORITY_CHOICES, MACRO_STATUS_CHOICES


class MacroForm(forms.Form):
    title = forms.CharField(max_length=120)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="Placeholders: " + ", ".join("{{" + p + "}}" for p in PLACEHOLDERS),
    )
    set_status = forms.ChoiceField(choices=MACRO_STATUS_CHOICES, required=False)
    set_priority = forms.ChoiceField(choices=MACRO_PRIORITY_CHOICES, required=False)
    add_tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(), required=False, widget=chips(placeholder="Add a tag")
    )
    policy = forms.ModelChoiceField(queryset=PolicyDocument.objects.all(), required=False)
    active = forms.BooleanField(required=False, initial=True)

    @classmethod
    def for_macro(cls, macro, data=None) -> MacroForm:
        initial = {
            "title": macro.title,
            "body": macro.body,
            "set_status": macro.set_status,
            "set_priority": macro.set_priority,
            "add_tags": list(macro.add_tags.all()),
            "policy": macro.policy_id,
            "active": macro.active,
        }
        return cls(data, initial=initial)
