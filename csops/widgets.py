"""Form widgets shared by the apps."""

from __future__ import annotations

from django import forms


class Select(forms.Select):
    """``forms.Select`` rendered without a template include per option (same markup): the
    workspace's property selects list every teammate, team, category."""

    template_name = "csops/widgets/select.html"


class SelectMultiple(forms.SelectMultiple):
    template_name = "csops/widgets/select.html"


def chips(*, placeholder: str = "", size: int = 4) -> forms.SelectMultiple:
    """A multi-select shown as removable chips with type-ahead (``data-chips``, enhanced by
    static/js/app.js with Tom Select); without scripts it stays a native ``<select multiple>``
    of ``size`` rows."""
    attrs: dict[str, str | int] = {"data-chips": "", "size": size}
    if placeholder:
        attrs["data-placeholder"] = placeholder
    return SelectMultiple(attrs=attrs)
