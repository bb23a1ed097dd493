"""Domain errors, mapped to HTTP in one place each: ``csops.api`` (DRF) and ``csops.htmx``."""

from __future__ import annotations


class DomainError(Exception):
    """Base class. ``code`` is the stable machine-readable name in error bodies."""

    code = "error"
    status = 422

    def __init__(self, detail: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = fields or {}

    def as_body(self) -> dict:
        return {"error": self.code, "detail": self.detail, "fields": self.fields}


class NotAllowed(DomainError):
    code = "not_allowed"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class StaleTicket(DomainError):
    code = "stale"
    status = 409


class Conflict(DomainError):
    """A state conflict other than a stale version, e.g. a ticket claimed by someone else."""

    code = "conflict"
    status = 409


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 422


class InvalidInput(DomainError):
    code = "invalid"
    status = 422
