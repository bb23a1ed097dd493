"""DRF permission classes; kept apart from ``csops.api`` so DRF settings import cleanly."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from csops import permissions


class IsStaffMember(BasePermission):
    """The API, like the console, is for accounts with a staff role."""

    message = "Your account has no staff role in csops."

    def has_permission(self, request, view) -> bool:
        return permissions.is_staff_member(request.user)
