"""Save, rename, change (filters, sort, columns) and delete views. A personal view: any staff
member, for themselves. A view shared with a team: its managers and directors."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from csops import permissions
from csops.errors import InvalidInput, NotAllowed
from tickets import columns as queue_columns
from tickets.filters import TicketFilter
from tickets.saved_views import selectors
from tickets.saved_views.models import SavedView

# The queue parameters a view keeps (the page number is not one).
KEPT = tuple(name for name in TicketFilter.Meta.fields)
MAX_PER_OWNER = 50


def _given(raw: Mapping | QueryDict, name: str) -> list:
    if isinstance(raw, QueryDict):
        return raw.getlist(name)
    value = raw.get(name)
    return list(value) if isinstance(value, list | tuple) else [value]


def clean_query(by: User, raw: Mapping | QueryDict) -> dict[str, list[str]]:
    """The queue parameters of ``raw`` as a dict of lists, checked by the queue's FilterSet
    (unknown names are dropped; a bad value is refused with the field's message)."""
    query: dict[str, list[str]] = {}
    for name in KEPT:
        values = [str(v).strip()[:200] for v in _given(raw, name) if v not in (None, "")]
        if values:
            query[name] = values
    filterset = selectors.filterset_for(by, query)
    if not filterset.is_valid():
        fields = {k: [str(e) for e in v] for k, v in filterset.errors.items()}
        raise InvalidInput("Some filters of the view are not valid.", fields=fields)
    return query


def clean_columns(raw: list | tuple | None) -> list[str]:
    """The chosen columns in the queue's order; an unknown name is refused. Every column
    chosen is stored as empty (the default: all, including any added later)."""
    if not isinstance(raw, list | tuple):
        raise InvalidInput("Columns are a list.", fields={"columns": ["A list of columns."]})
    values = [str(v) for v in raw][: queue_columns.MAX_GIVEN]
    if bad := queue_columns.unknown(values):
        known = ", ".join(queue_columns.KEYS)
        message = f"Unknown column {', '.join(bad[:5])[:200]}; known: {known}."
        raise InvalidInput(message, fields={"columns": [message]})
    shown = queue_columns.chosen(values)
    return [] if shown == queue_columns.KEYS else shown


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Give the view a name.", fields={"name": ["Give the view a name."]})
    if len(name) > 80:
        raise InvalidInput("At most 80 characters.", fields={"name": ["At most 80 characters."]})
    return name


def _taken(name: str, *, owner: User, team_id: int | None, exclude: int | None = None) -> None:
    qs = (
        SavedView.objects.filter(team_id=team_id)
        if team_id
        else SavedView.objects.filter(team__isnull=True, owner=owner)
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.filter(name=name).exists():
        where = "The team already has" if team_id else "You already have"
        raise InvalidInput(
            f"{where} a view named “{name}”.", fields={"name": ["This name is taken."]}
        )


def _save(view: SavedView) -> SavedView:
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:  # the same name saved at the same moment
        raise InvalidInput(
            "A view with this name was just saved.", fields={"name": ["This name is taken."]}
        ) from None
    return view


def save_view(
    *,
    by: User,
    name: str,
    query: Mapping | QueryDict,
    team_id: int | None = None,
    columns: list[str] | None = None,
):
    if not permissions.is_staff_member(by):
        raise NotAllowed("Only staff save views.")
    if team_id is not None:
        permissions.ensure_can_share_view(by, team_id)
    name = _clean_name(name)
    cleaned = clean_query(by, query)
    shown = clean_columns(columns or [])
    _taken(name, owner=by, team_id=team_id)
    if SavedView.objects.filter(owner=by).count() >= MAX_PER_OWNER:
        raise InvalidInput(f"You have saved {MAX_PER_OWNER} views: delete one first.")
    now = timezone.now()
    view = SavedView(
        name=name,
        owner=by,
        team_id=team_id,
        query=cleaned,
        columns=shown,
        created_at=now,
        updated_at=now,
    )
    return _save(view)


def _changeable(by: User, pk: int) -> SavedView:
    view = selectors.access_saved_view(by, pk)
    if not permissions.can_change_saved_view(by, view):
        raise NotAllowed("Only the team's managers or a director may change a team's view.")
    return view


def update_view(
    pk: int,
    *,
    by: User,
    name: str | None = None,
    query: Mapping | QueryDict | None = None,
    columns: list[str] | None = None,
) -> SavedView:
    view = _changeable(by, pk)
    if name is not None:
        view.name = _clean_name(name)
        _taken(view.name, owner=view.owner, team_id=view.team_id, exclude=view.pk)
    if query is not None:
        view.query = clean_query(by, query)
    if columns is not None:
        view.columns = clean_columns(columns)
    view.updated_at = timezone.now()
    return _save(view)


def delete_view(pk: int, *, by: User) -> None:
    _changeable(by, pk).delete()
