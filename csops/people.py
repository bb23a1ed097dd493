"""How a person is shown: one name everywhere (pages, drop-downs, exports), the username only
where an admin needs it to tell two people apart.

``display_name`` is the rule; ``PersonChoiceField`` / ``PeopleChoiceField`` and
``label_people`` put it on drop-downs; ``{{ user|display_name }}`` (``csops.templatetags.display``)
puts it in templates.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

BY_NAME = ("first_name", "last_name", "username")  # drop-downs list people as they read


def display_name(user: AbstractBaseUser | AnonymousUser | None, default: str = "") -> str:
    """The person's full name, else their username; ``default`` when there is nobody."""
    if user is None or not getattr(user, "pk", None):
        return default
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


def public_name(user: AbstractBaseUser | AnonymousUser | None, default: str = "") -> str:
    """For customers (the portal): the person's full name, never the username (a login name
    is staff's business); ``default`` when there is none."""
    if user is None or not getattr(user, "pk", None) or not hasattr(user, "get_full_name"):
        return default
    return user.get_full_name().strip() or default


def name_and_username(user: AbstractBaseUser | None) -> str:
    """For admins, who search and log in by username: "Rita Reyes (rita)"."""
    if user is None:
        return ""
    name = display_name(user)
    username = user.get_username()
    return name if name == username else f"{name} ({username})"


class PersonChoiceField(forms.ModelChoiceField):
    """A drop-down of people labelled with their display names."""

    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


def by_name(qs: QuerySet) -> QuerySet:
    """People in the order their labels read."""
    return qs.order_by(*BY_NAME)


def label_people(form: forms.BaseForm, label=display_name) -> forms.BaseForm:
    """Label every drop-down of users on ``form`` with ``label`` (for forms built by a
    library: a FilterSet's form, a ModelForm, the admin). Returns the form."""
    user_model = get_user_model()
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model is user_model:
            field.label_from_instance = label  # type: ignore[attr-defined]
    return form
