from __future__ import annotations

from django import forms

from csops import permissions
from csops.roles import Role
from staffing.models import Team


class SaveViewForm(forms.Form):
    name = forms.CharField(max_length=80, label="Name of the view")
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label="Only me",
        label="Share with",
    )

    prefix = "save"  # the queue's filter form next to it has its own "team"

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = share_teams(user)


def share_teams(user):
    """The teams the user may share a view with (none for reps)."""
    if not permissions.has_role(user, Role.MANAGER):
        return Team.objects.none()
    scope = permissions.managed_team_scope(user)
    teams = Team.objects.order_by("tier", "name")
    return teams if scope is None else teams.filter(pk__in=scope)
