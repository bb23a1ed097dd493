"""The channel form of the chat page (field types; the service checks the rest). The team
choices are the teams the person configures."""

from __future__ import annotations

from django import forms

from staffing.models import Team
from tickets.chat.models import CHAT_EVENTS, ChatEvent, ChatKind
from tickets.endpoints.forms import events_field, url_field


class ChannelForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none())
    name = forms.CharField(max_length=100, help_text="e.g. #support-tier1")
    kind = forms.ChoiceField(choices=ChatKind.choices, label="Chat tool")
    url = url_field("Incoming webhook URL")
    events = events_field(ChatEvent, CHAT_EVENTS)
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, teams=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
