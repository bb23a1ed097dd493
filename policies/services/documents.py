"""Policy and procedure use cases: documents, drafts, the review lifecycle, publication.

Each runs in one transaction, checks the role through ``csops.permissions``, records every
state change as a ``VersionTransition`` (who, when, comment) and leaves the audit trail to
django-simple-history (``_history_user`` names the actor outside a request).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from csops import permissions
from csops.clock import now_s
from csops.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from csops.notify import notify
from csops.roles import Role
from policies.markup import render_markdown
from policies.models import (
    Category,
    Kind,
    PolicyDocument,
    PolicyVersion,
    Tag,
    VersionState,
    VersionTransition,
)
from policies.models.documents import OPEN_STATES
from policies.services import acknowledgments
from staffing.models import Team

S = VersionState

# Called with a document's id after a version of it is published or retired, in the same
# transaction (the knowledge base refreshes its help-center snapshot; ``PoliciesConfig``).
_after_publication: list = []


def after_publication(hook) -> None:
    if hook not in _after_publication:
        _after_publication.append(hook)


def _published_changed(document_id: int) -> None:
    for hook in _after_publication:
        hook(document_id)


def _clean_steps(steps: Iterable[str]) -> list[str]:
    return [s.strip()[:300] for s in steps if s and s.strip()]


def _validate_version(body: str, effective_date: date | None, ack_roles: Sequence[str]) -> None:
    errors: dict[str, list[str]] = {}
    if not body.strip():
        errors["body"] = ["The body is empty: write the policy text."]
    if effective_date is None:
        errors["effective_date"] = ["Give the date the version takes effect."]
    elif effective_date < timezone.localdate():
        errors["effective_date"] = ["The effective date is in the past: use today or later."]
    unknown = sorted(set(ack_roles) - {r.value for r in Role})
    if unknown:
        errors["ack_roles"] = [f"Unknown roles: {', '.join(unknown)}."]
    if errors:
        raise InvalidInput("The version has errors.", fields=errors)


def _check_approver(approver: User | None) -> None:
    if approver is not None and not permissions.can_read_unpublished(approver):
        raise InvalidInput(
            f"{approver.get_username()} cannot review drafts: name a manager or above.",
            fields={"approver": ["The approver must be a manager, director or admin."]},
        )


ARTICLE_KIND = "Write knowledge-base articles from the knowledge base (Knowledge › New article)."
SELF_APPROVAL_REFUSED = "Only a director or admin may let authors approve their own drafts."
APPROVER_LOCKED = (
    "This document lets its authors approve their own drafts: only a director or admin may"
    " change its approver."
)


def may_set_self_approval(user: User) -> bool:
    """Self-approval switches a control off for the people it applies to, so only the roles
    that publish (directors, admins) may turn it on or off, or rename the approver of a
    document where it is on."""
    return permissions.can_publish_policies(user)


def _check_self_approval(
    by: User, document: PolicyDocument | None, allow: bool, approver: User | None
) -> None:
    if may_set_self_approval(by):
        return
    was_allowed = document.allow_self_approval if document is not None else False
    if allow != was_allowed:
        raise NotAllowed(
            SELF_APPROVAL_REFUSED,
            fields={"allow_self_approval": ["Ask a director or admin to change this."]},
        )
    if allow and document is not None and document.approver_id != getattr(approver, "pk", None):
        raise NotAllowed(
            APPROVER_LOCKED, fields={"approver": ["Ask a director or admin to change this."]}
        )


def _record(version: PolicyVersion, frm: str, to: str, by: User | None, at: datetime, comment: str):
    transition = VersionTransition(
        version=version, from_state=frm, to_state=to, by=by, at=at, comment=comment.strip()
    )
    transition._history_user = by  # type: ignore[attr-defined]
    transition.save()
    return transition


def _save(obj, by: User | None, **fields) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = by
    obj.save()


@transaction.atomic
def create_document(
    *,
    by: User,
    title: str,
    kind: str,
    owner: User | None = None,
    approver: User | None = None,
    allow_self_approval: bool = False,
    categories: Iterable[Category] = (),
    tags: Iterable[Tag] = (),
    body: str,
    checklist: Iterable[str] = (),
    change_summary: str = "",
    effective_date: date | None,
    ack_required: bool = False,
    ack_roles: Sequence[str] = (),
    ack_teams: Iterable[Team] = (),
    ack_within_days: int = 7,
    as_article: bool = False,
) -> PolicyVersion:
    """A new document with its first draft (version 1). Returns the draft. Articles are made
    by ``knowledge.services.create_article`` (``as_article``), which also places them."""
    permissions.ensure_policy_role(permissions.can_edit_policies(by), "write policies")
    title = title.strip()
    if not title:
        raise InvalidInput("The title is empty.", fields={"title": ["Give the policy a title."]})
    if kind not in Kind.values:
        raise InvalidInput("Unknown kind.", fields={"kind": ["Unknown kind."]})
    if (kind == Kind.ARTICLE) != as_article:
        raise InvalidInput(ARTICLE_KIND, fields={"kind": [ARTICLE_KIND]})
    _check_self_approval(by, None, allow_self_approval, approver)
    _validate_version(body, effective_date, ack_roles)
    _check_approver(approver)
    at = now_s()
    document = PolicyDocument(
        title=title,
        kind=kind,
        owner=owner or by,
        approver=approver,
        allow_self_approval=allow_self_approval,
        created_at=at,
        updated_at=at,
    )
    _save(document, by)
    document.categories.set(categories)
    document.tags.set(tags)
    version = PolicyVersion(document=document, number=1, author=by, created_at=at, updated_at=at)
    _fill(version, by, body, checklist, change_summary, effective_date, ack_required, ack_roles,
          ack_teams, ack_within_days)  # fmt: skip
    _record(version, "", S.DRAFT, by, at, "Created.")
    return version


@transaction.atomic
def update_document(
    document_id: int,
    *,
    by: User,
    title: str,
    kind: str,
    owner: User,
    approver: User | None,
    allow_self_approval: bool | None = None,
    categories: Iterable[Category],
    tags: Iterable[Tag],
) -> PolicyDocument:
    """Change what a document is about and who owns and approves it (not its text).
    ``allow_self_approval=None`` keeps the document's setting."""
    permissions.ensure_policy_role(permissions.can_edit_policies(by), "edit policies")
    document = PolicyDocument.objects.select_for_update().get(pk=document_id)
    if allow_self_approval is None:
        allow_self_approval = document.allow_self_approval
    _check_self_approval(by, document, allow_self_approval, approver)
    if (kind == Kind.ARTICLE) != (document.kind == Kind.ARTICLE):
        raise InvalidInput(
            "An article stays an article, and a policy a policy.",
            fields={"kind": ["An article stays an article, and a policy a policy."]},
        )
    if not title.strip():
        raise InvalidInput("The title is empty.", fields={"title": ["Give the policy a title."]})
    if kind not in Kind.values:
        raise InvalidInput("Unknown kind.", fields={"kind": ["Unknown kind."]})
    _check_approver(approver)
    _save(
        document,
        by,
        title=title.strip(),
        kind=kind,
        owner=owner,
        approver=approver,
        allow_self_approval=allow_self_approval,
        updated_at=now_s(),
    )
    document.categories.set(categories)
    document.tags.set(tags)
    _published_changed(document.pk)  # the title shown in the help center
    return document


def _fill(version, by, body, checklist, summary, effective, ack_required, roles, teams, days):
    version.body = body.strip()
    version.body_html = render_markdown(version.body, images=version.document.kind == Kind.ARTICLE)
    version.checklist = _clean_steps(checklist)
    version.change_summary = summary.strip()[:300]
    version.effective_date = effective
    version.ack_required = ack_required
    version.ack_roles = sorted(set(roles))
    version.ack_within_days = max(1, int(days or 1))
    _save(version, by)
    version.ack_teams.set(teams)


@transaction.atomic
def start_draft(document_id: int, *, by: User) -> PolicyVersion:
    """Editing a document starts a new draft from its latest version (published ones never
    change). Refused while another version is on its way to publication."""
    permissions.ensure_policy_role(permissions.can_edit_policies(by), "write policies")
    document = PolicyDocument.objects.select_for_update().get(pk=document_id)
    open_version = document.versions.filter(state__in=OPEN_STATES).first()
    if open_version is not None:
        raise Conflict(
            f"Version {open_version.number} is already {open_version.get_state_display().lower()};"
            " finish or send it back before starting another draft."
        )
    latest = document.versions.order_by("-number").first()
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    at = now_s()
    version = PolicyVersion(document=document, number=number, author=by, created_at=at,
                            updated_at=at)  # fmt: skip
    today = timezone.localdate()
    if latest is None:
        raise InvalidTransition("This document has no version to start from.")
    _fill(version, by, latest.body, latest.checklist, "", max(latest.effective_date, today),
          latest.ack_required, latest.ack_roles, latest.ack_teams.all(),
          latest.ack_within_days)  # fmt: skip
    _record(version, "", S.DRAFT, by, at, f"Started from version {latest.number}.")
    return version


@transaction.atomic
def update_draft(
    version_id: int,
    *,
    by: User,
    body: str,
    checklist: Iterable[str],
    change_summary: str,
    effective_date: date | None,
    ack_required: bool,
    ack_roles: Sequence[str],
    ack_teams: Iterable[Team],
    ack_within_days: int,
) -> PolicyVersion:
    permissions.ensure_policy_role(permissions.can_edit_policies(by), "edit drafts")
    version = permissions.access_policy_version(by, version_id, for_update=True)
    if not version.is_editable:
        raise InvalidTransition(
            f"Version {version.number} is {version.get_state_display().lower()} and cannot be"
            " edited; start a new draft instead."
        )
    _validate_version(body, effective_date, ack_roles)
    version.updated_at = now_s()
    _fill(version, by, body, checklist, change_summary, effective_date, ack_required, ack_roles,
          ack_teams, ack_within_days)  # fmt: skip
    return version


def _move(version_id: int, by: User, frm: Sequence[str], to: str, comment: str) -> PolicyVersion:
    version = permissions.access_policy_version(by, version_id, for_update=True)
    if version.state not in frm:
        raise InvalidTransition(
            f"Version {version.number} is {version.get_state_display().lower()}; it cannot go"
            f" to {S(to).label.lower()} from there."
        )
    at = now_s()
    _record(version, version.state, to, by, at, comment)
    version.state = to
    version.updated_at = at
    return version


@transaction.atomic
def submit(version_id: int, *, by: User, comment: str = "") -> PolicyVersion:
    """Draft → in review."""
    permissions.ensure_policy_role(permissions.can_edit_policies(by), "submit drafts")
    version = _move(version_id, by, [S.DRAFT], S.IN_REVIEW, comment)
    _save(version, by)
    _ask_for_approval(version, by)
    return version


def _ask_for_approval(version: PolicyVersion, by: User) -> None:
    """Notify who may approve: the named approver, else every director (not the author)."""
    document = version.document
    if document.approver_id:
        approvers = [document.approver]
    else:
        approvers = list(User.objects.filter(groups__name=Role.DIRECTOR.value, is_active=True))
    notify(
        [u for u in approvers if u.pk != by.pk],
        key=f"policy-approve:{version.pk}",
        text=f"{document.title} (version {version.number}) waits for your approval.",
        url=reverse("policies:version-detail", args=[version.pk]),
    )


@transaction.atomic
def approve(version_id: int, *, by: User, comment: str = "") -> PolicyVersion:
    """In review → approved, by a director or the document's named approver; the author may
    approve their own draft only where the document allows it."""
    version = permissions.access_policy_version(by, version_id, for_update=True)
    if not permissions.can_approve_version(by, version):
        raise NotAllowed("Only a director or this document's named approver may approve.")
    if version.author_id == by.pk and not version.document.allow_self_approval:
        raise InvalidTransition(
            "You wrote this version: someone else must approve it.",
            fields={"comment": ["Approving your own draft is not allowed for this document."]},
        )
    version = _move(version_id, by, [S.IN_REVIEW], S.APPROVED, comment)
    _save(version, by)
    return version


@transaction.atomic
def send_back(version_id: int, *, by: User, comment: str) -> PolicyVersion:
    """In review or approved → draft, with the reviewer's comments."""
    version = permissions.access_policy_version(by, version_id, for_update=True)
    if not permissions.can_approve_version(by, version):
        raise NotAllowed("Only a director or this document's named approver may send back.")
    if not comment.strip():
        raise InvalidInput(
            "Say what to change.", fields={"comment": ["A comment is required to send back."]}
        )
    version = _move(version_id, by, [S.IN_REVIEW, S.APPROVED], S.DRAFT, comment)
    _save(version, by)
    return version


@transaction.atomic
def publish(version_id: int, *, by: User, comment: str = "") -> PolicyVersion:
    """Approved → published. The version is current from its effective date (today if that
    has passed during review); if that is today, the previous published version retires now,
    else ``retire_superseded`` retires it on the day. Acknowledgments start over."""
    permissions.ensure_policy_role(permissions.can_publish_policies(by), "publish policies")
    version = _move(version_id, by, [S.APPROVED], S.PUBLISHED, comment)
    today = timezone.localdate()
    version.effective_date = max(version.effective_date, today)
    version.published_at = version.updated_at
    _save(version, by)
    retire_superseded(today=today, document_id=version.document_id, by=by)
    acknowledgments.request_for(version, at=version.updated_at, by=by)
    _published_changed(version.document_id)
    return version


@transaction.atomic
def retire(version_id: int, *, by: User, comment: str = "") -> PolicyVersion:
    """Published → retired (the document is withdrawn, or replaced outside the app)."""
    permissions.ensure_policy_role(permissions.can_publish_policies(by), "retire policies")
    version = _move(version_id, by, [S.PUBLISHED], S.RETIRED, comment)
    _save(version, by, retired_at=version.updated_at)
    acknowledgments.supersede_open(version.document_id, keep_version_id=None, at=now_s(), by=by)
    _published_changed(version.document_id)
    return version


def retire_superseded(
    *, today: date | None = None, document_id: int | None = None, by: User | None = None
) -> int:
    """Retire published versions that a newer published version has replaced as of ``today``.
    Idempotent; run on publish and by the daily beat task. Returns how many retired."""
    today = today or timezone.localdate()
    effective = PolicyVersion.objects.filter(state=S.PUBLISHED, effective_date__lte=today)
    if document_id is not None:
        effective = effective.filter(document_id=document_id)
    current: dict[int, PolicyVersion] = {}
    for v in effective.order_by("document_id", "-effective_date", "-number"):
        current.setdefault(v.document_id, v)
    retired = 0
    at = now_s()
    for doc_id, keep in current.items():
        old = effective.filter(document_id=doc_id).exclude(pk=keep.pk).select_for_update()
        for version in old:
            comment = f"Replaced by version {keep.number}."
            _record(version, S.PUBLISHED, S.RETIRED, by, at, comment)
            _save(version, by, state=S.RETIRED, retired_at=at, updated_at=at)
            retired += 1
        if document_id is None and old:
            _published_changed(doc_id)
    return retired
