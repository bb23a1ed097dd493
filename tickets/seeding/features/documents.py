"""Policies, procedures and macros, written, reviewed and published through the services.

The manager writes, the director approves and publishes: a refund policy every rep must
acknowledge (rep2 has, rep has not yet), a password-reset procedure linked to its category
(the workspace shows it) with a second version awaiting the director's approval, an
escalation guideline for Tier 1, and a draft. Macros point at the documents they apply.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from csops.roles import Role
from policies.models import Category, Kind, PolicyDocument
from policies.services import acknowledgments, documents, macros
from staffing.models import Team

REFUND = """## Scope
Refunds for orders, plans and services bought from us.

## Rules
- Up to **$150**: the agent refunds directly to the original payment method.
- Above $150: escalate to Billing Escalations with the order number.
- Refunds take five to ten business days; say so in the reply.
"""
PASSWORD = """## When to use
A customer cannot sign in or never receives the reset email.

Verify identity with two of: email on file, last order number, postcode.
"""
PASSWORD_V2 = (
    PASSWORD
    + """
Since the 4.2 release, also check that the customer is not signing in through an old
single sign-on link (they end in `/sso/legacy`).
"""
)
ESCALATION = """## When to escalate
- The customer asks for a manager, or threatens legal action.
- A technical fault you cannot reproduce with the knowledge base.
- A refund or exception above your limit.

Write what you tried and what the customer expects before you escalate.
"""
HOLIDAYS = """## Coverage
Each team keeps at least two agents on public holidays; swaps go through the manager.
"""


def seed_documents(*, manager: User, director: User, reps: list[User], today: date) -> int:
    """The documents and macros above, once (skipped when the refund policy exists)."""
    if PolicyDocument.objects.filter(title="Refund policy").exists():
        return 0
    tier1 = Team.objects.get(slug="tier-1-support")
    categories = {c.slug: c for c in Category.objects.all()}
    refund = _published(
        manager,
        director,
        title="Refund policy",
        kind=Kind.POLICY,
        body=REFUND,
        categories=[
            categories[s] for s in ("refund-request", "billing-question") if s in categories
        ],
        ack_roles=[Role.REP.value],
        today=today,
    )
    reset = _published(
        manager,
        director,
        title="Password reset procedure",
        kind=Kind.PROCEDURE,
        body=PASSWORD,
        checklist=[
            "Verify identity with two facts on file",
            "Send a fresh reset link",
            "Clear the account lock if needed",
            "Confirm the customer can sign in",
        ],
        categories=[categories[s] for s in ("login-password",) if s in categories],
        today=today,
    )
    draft = documents.start_draft(reset.document_id, by=manager)
    documents.update_draft(
        draft.pk,
        by=manager,
        body=PASSWORD_V2,
        checklist=reset.checklist + ["Check for a legacy single sign-on link"],
        change_summary="Legacy single sign-on links since the 4.2 release.",
        effective_date=today,
        ack_required=False,
        ack_roles=[],
        ack_teams=[],
        ack_within_days=7,
    )
    documents.submit(draft.pk, by=manager, comment="Please approve before the next release.")
    escalation = _published(
        manager,
        director,
        title="When and how to escalate",
        kind=Kind.GUIDELINE,
        body=ESCALATION,
        ack_teams=[tier1],
        today=today,
    )
    documents.create_document(
        by=manager,
        title="Holiday coverage",
        kind=Kind.PROTOCOL,
        approver=director,
        body=HOLIDAYS,
        effective_date=today,
    )
    for version in (refund, escalation):
        for rep in reps[1:]:  # rep2 has read them; rep still has to
            acknowledgments.acknowledge(version.pk, by=rep)
    _macros(manager, refund.document, reset.document)
    return 4


def _published(manager: User, director: User, *, today: date, **fields) -> object:
    version = documents.create_document(
        by=manager,
        approver=director,
        effective_date=today,
        ack_required=bool(fields.get("ack_roles") or fields.get("ack_teams")),
        **fields,
    )
    documents.submit(version.pk, by=manager)
    documents.approve(version.pk, by=director, comment="Approved.")
    return documents.publish(version.pk, by=director)


def _macros(manager: User, refund: PolicyDocument, reset: PolicyDocument) -> None:
    for title, body, status, policy in (
        (
            "Refund issued",
            "I have issued a refund of the amount to your original payment method. It takes "
            "five to ten business days to appear.",
            "solved",
            refund,
        ),
        (
            "Password reset link sent",
            "I have sent a fresh password reset link to the email address on your account. "
            "It is valid for one hour.",
            "pending",
            reset,
        ),
        (
            "Need more details",
            "Could you send the order number and a screenshot of the error? That helps us "
            "find the problem quickly.",
            "pending",
            None,
        ),
        (
            "Known issue: app sync",
            "Our engineers know about the sync problem since the 4.2 update and are working "
            "on a fix. We will update you as soon as it ships.",
            "on_hold",
            None,
        ),
    ):
        macros.create_macro(by=manager, title=title, body=body, set_status=status, policy=policy)
