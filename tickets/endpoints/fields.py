"""The check of the fields every outgoing endpoint has (name, url, events, active)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from csops.errors import InvalidInput

HTTP_ONLY = "Enter an http:// or https:// URL."
_url = URLValidator(schemes=["http", "https"])


def endpoint_field_errors(
    values: dict, *, fields: tuple[str, ...], events: list[str]
) -> dict[str, list[str]]:
    """Clean the fields an outgoing endpoint shares (a webhook subscription, a team's chat
    channel: name, url, events, active) in place and return the errors per field; an unknown
    field is InvalidInput at once."""
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise InvalidInput(
            f"Unknown fields: {', '.join(unknown)}.",
            fields={k: ["Unknown field."] for k in unknown},
        )
    errors: dict[str, list[str]] = {}
    if "name" in values:
        values["name"] = str(values["name"]).strip()
        if not values["name"]:
            errors["name"] = ["This field is required."]
        elif len(values["name"]) > 100:
            errors["name"] = ["At most 100 characters."]
    if "url" in values:
        values["url"] = str(values["url"]).strip()
        try:
            _url(values["url"])
        except ValidationError:
            errors["url"] = [HTTP_ONLY]
        if len(values["url"]) > 500:
            errors["url"] = ["At most 500 characters."]
    if "events" in values:
        chosen = values["events"]
        if not isinstance(chosen, list | tuple) or not chosen:
            errors["events"] = ["Choose at least one event."]
        elif bad := sorted({str(e) for e in chosen} - set(events)):
            errors["events"] = [f"Unknown event: {', '.join(bad)}."]
        else:
            values["events"] = [e for e in events if e in chosen]
    if "active" in values and not isinstance(values["active"], bool):
        errors["active"] = ["Must be true or false."]
    return errors
