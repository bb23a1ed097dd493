"""Policy work that waits for a person (csops.waiting): versions to approve, to acknowledge."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from csops import permissions
from csops.roles import Role
from csops.waiting import Waiting, provider
from policies.models import PolicyVersion, VersionState
from policies.selectors_documents import to_acknowledge


def to_approve(user: User) -> QuerySet[PolicyVersion]:
    """Versions in review that name the person as approver, and for directors those that name
    nobody (any director may approve them)."""
    mine = Q(document__approver=user)
    if permissions.has_role(user, Role.DIRECTOR):
        mine |= Q(document__approver__isnull=True)
    return PolicyVersion.objects.filter(mine, state=VersionState.IN_REVIEW)


@provider
def policy_work(user: User) -> list[Waiting]:
    if not permissions.is_staff_member(user):
        return []
    acks = to_acknowledge(user)
    now = timezone.now()
    documents = reverse("policies:document-list")
    return [
        Waiting(
            "policies.approve",
            "Policies to approve",
            to_approve(user).count(),
            f"{documents}?state={VersionState.IN_REVIEW}",
        ),
        Waiting(
            "policies.acknowledge",
            "Policies to acknowledge",
            len(acks),
            "#to-acknowledge",
            overdue=sum(1 for ack in acks if ack.due_at < now),
        ),
    ]
