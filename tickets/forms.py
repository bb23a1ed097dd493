from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q

from csops import permissions
from csops.bounds import column_bounds
from csops.people import by_name, display_name
from csops.widgets import Select, chips
from policies.models import Category, Tag
from staffing.models import Team
from tickets.models import Channel, Priority, Status, Ticket

SEND_STATUS_CHOICES = [
    ("", "Keep status"),
    (Status.PENDING, "Send and set pending"),
    (Status.ON_HOLD, "Send and set on hold"),
    (Status.SOLVED, "Send and set solved"),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the content checks are
    ``tickets.attachments.services.check_files``'s, reported on this field."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


@column_bounds(Ticket)
class ReplyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), strip=True)
    kind = forms.ChoiceField(
        choices=[("public", "Public reply"), ("note", "Internal note")],
        widget=forms.RadioSelect,
        initial="public",
    )
    status = forms.ChoiceField(choices=SEND_STATUS_CHOICES, required=False, widget=Select)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Set when a macro filled the box: its priority and tags apply on send (tickets:ticket-macro).
    macro = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    attachments = MultipleFileField(required=False, label="Attach files")

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body:
            raise forms.ValidationError("Write a message.")
        return body


def _staff_for(user: User):
    scope = permissions.team_scope(user)
    qs = User.objects.filter(is_active=True, groups__isnull=False)
    if scope is not None:
        qs = qs.filter(Q(teams__in=scope) | Q(managed_teams__in=scope))
    return by_name(qs.distinct())


@column_bounds(Ticket)
class PropertiesForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, widget=Select)
    priority = forms.ChoiceField(choices=Priority.choices, widget=Select)
    team = forms.ModelChoiceField(queryset=Team.objects.all(), empty_label=None, widget=Select)
    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Unassigned", widget=Select
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), required=False, empty_label="None", widget=Select
    )
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        to_field_name="name",
        widget=chips(placeholder="Add a tag"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _staff_for(user)
        self.fields["assignee"].label_from_instance = display_name

    def read_choices(self, *, teams: list[Team] | None = None) -> None:
        """For a form only shown: read each model field's choices once, in one plain query
        (a model choice field reads them through a server-side cursor, three round trips).
        ``teams``: every team, if the page has read them already."""
        given = {"team": teams} if teams is not None else {}
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                options = field.iterator(field)
                objs = given[name] if name in given else list(field.queryset)
                rows = [options.choice(obj) for obj in objs]
                empty = [] if field.empty_label is None else [("", field.empty_label)]
                field.widget.choices = empty + rows


class NewTicketForm(forms.Form):
    requester_email = forms.EmailField(label="Customer email")
    requester_name = forms.CharField(label="Customer name", max_length=120, required=False)
    subject = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.PHONE)
    direction = forms.ChoiceField(
        choices=[
            ("customer", "Customer contacted us (inbound)"),
            ("agent", "We contact the customer (outbound)"),
        ],
        initial="customer",
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), required=False, empty_label="None"
    )
    assign_to_me = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = permissions.scope_teams(user, Team.objects.all())
