"""Forms of the policy pages (documents, versions, transitions, reminders)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from csops.bounds import column_bounds
from csops.people import PersonChoiceField, by_name
from csops.roles import Role
from csops.widgets import chips
from policies.models import Category, Kind, Tag
from staffing.models import Team


def _approvers() -> forms.ModelChoiceField:
    """A named approver reviews unpublished versions, so they are a manager or above."""
    roles = [Role.MANAGER.value, Role.DIRECTOR.value, Role.ADMIN.value]
    return PersonChoiceField(
        queryset=by_name(User.objects.filter(is_active=True, groups__name__in=roles).distinct()),
        required=False,
        help_text="Besides the directors; a manager or above.",
    )


# The groups of the policy forms, in the order people fill them in: what it is, what it says,
# who reviews it and from when, who must read it. Each form shows the groups it has fields of.
FIELDSETS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("what", "What", ("title", "kind", "categories", "tags")),
    ("content", "Content", ("body", "checklist", "change_summary")),
    (
        "review",
        "Review and approval",
        ("owner", "approver", "allow_self_approval", "effective_date"),
    ),
    (
        "acknowledgment",
        "Acknowledgment",
        ("ack_required", "ack_roles", "ack_teams", "ack_within_days"),
    ),
)
FIELD_ORDER = [name for _, _, names in FIELDSETS for name in names]


class GroupedForm(forms.Form):
    """Fields ordered as ``FIELDSETS`` and shown in its groups (``policies/_form_fields.html``)."""

    field_order = FIELD_ORDER

    def fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        groups = []
        for slug, legend, names in FIELDSETS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                groups.append((slug, legend, fields))
        grouped = set(FIELD_ORDER)
        rest = [f for f in self.visible_fields() if f.name not in grouped]
        if rest:  # a field added without a group still shows
            groups.append(("more", "More", rest))
        return groups


@column_bounds()
class VersionFieldsMixin(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}), required=False, help_text="Markdown."
    )
    checklist = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="One step per line.",
    )
    change_summary = forms.CharField(max_length=300, required=False)
    effective_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ack_required = forms.BooleanField(required=False, label="Requires acknowledgment")
    ack_roles = forms.MultipleChoiceField(
        choices=[(r.value, r.value) for r in Role],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Roles that must acknowledge",
    )
    ack_teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Teams that must acknowledge",
    )
    ack_within_days = forms.IntegerField(min_value=1, max_value=365, initial=7, label="Within days")

    def version_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["checklist"] = (data.get("checklist") or "").splitlines()
        return {
            k: data[k]
            for k in (
                "body",
                "checklist",
                "change_summary",
                "effective_date",
                "ack_required",
                "ack_roles",
                "ack_teams",
                "ack_within_days",
            )
        }


class DocumentFieldsMixin(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Kind.choices)
    categories = forms.ModelMultipleChoiceField(
        queryset=Category.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(), required=False, widget=chips(placeholder="Add a tag")
    )
    approver = _approvers()
    allow_self_approval = forms.BooleanField(
        required=False, help_text="Lets a version's author approve it. Directors and admins only."
    )

    def lock_self_approval(self, *, may_change: bool, allowed_now: bool) -> None:
        """Whoever may not change self-approval sees it read-only (a disabled field keeps its
        initial value whatever is posted), and the approver too where it is on."""
        if may_change:
            return
        self.fields["allow_self_approval"].disabled = True
        if allowed_now:
            self.fields["approver"].disabled = True


class DocumentEditForm(GroupedForm, DocumentFieldsMixin):
    owner = PersonChoiceField(
        queryset=by_name(User.objects.filter(is_active=True, groups__isnull=False).distinct())
    )


class DocumentCreateForm(GroupedForm, DocumentFieldsMixin, VersionFieldsMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()


class VersionForm(GroupedForm, VersionFieldsMixin):
    @classmethod
    def for_version(cls, version, data=None) -> VersionForm:
        initial = {
            "body": version.body,
            "checklist": "\n".join(version.checklist),
            "change_summary": version.change_summary,
            "effective_date": version.effective_date,
            "ack_required": version.ack_required,
            "ack_roles": version.ack_roles,
            "ack_teams": list(version.ack_teams.all()),
            "ack_within_days": version.ack_within_days,
        }
        return cls(data, initial=initial)


class TransitionForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RemindForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.all())


class DiffForm(forms.Form):
    a = forms.IntegerField(label="From version")
    b = forms.IntegerField(label="To version")
