"""The demo's help center: categories, sections and articles written and published through
the knowledge services (the document lifecycle), a few internal ones, and some reader
activity (views, "was this helpful?", searches that found nothing) for the KPI tiles."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.text import slugify

from policies.knowledge import services
from policies.knowledge.models import (
    Article,
    ArticleCategory,
    ArticleFeedback,
    ArticleSection,
    ArticleViewDay,
    HelpSearch,
)
from policies.services import documents

# (category, description, [(section, [(title, visibility, body)])])
# fmt: off
HELP_CENTER = [
    ("Orders and delivery", "Tracking, delivery times and changes to an order.", [
        ("Tracking", [
            ("Where is my order?", "public",
             "Every order gets a tracking number by email as soon as it leaves our warehouse.\n\n"
             "1. Open the shipping confirmation email.\n2. Select **Track parcel**.\n"
             "3. If the status has not changed for 3 business days, contact us with your "
             "order number.\n\nParcels to islands and remote areas can take 2 extra days."),
            ("My tracking number does not work", "public",
             "A new tracking number can take up to 24 hours to show on the carrier's site. "
             "If it still says *not found* after a day, reply to your shipping email and we "
             "will ask the carrier for you."),
        ]),
        ("Changes and cancellations", [
            ("Change the delivery address", "public",
             "You can change the address until the order is packed (usually 2 hours after "
             "payment).\n\n- Sign in and open **Orders**.\n- Choose the order and select "
             "**Change address**.\n\nOnce the parcel has shipped we can no longer redirect it."),
            ("Cancel an order", "public",
             "Orders can be cancelled free of charge until they ship. The refund goes back to "
             "the original payment method within 5 business days."),
        ]),
    ]),
    ("Billing and refunds", "Payments, invoices and refunds.", [
        ("Refunds", [
            ("How long does a refund take?", "public",
             "Once we receive your return, we refund within **2 business days**. Your bank "
             "then needs 3 to 5 business days to show the money on your card.\n\n"
             "| Payment method | Time on your statement |\n|---|---|\n"
             "| Card | 3–5 business days |\n| PayPal | 1 day |\n| Bank transfer | 2–3 days |"),
            ("Refund to a card that is closed", "public",
             "If the card you paid with is closed, the bank forwards the refund to your new "
             "card or account. Ask your bank for a *refund trace* if it has not arrived after "
             "10 business days."),
            ("Refund exceptions: approval matrix", "internal",
             "Refunds above 500 EUR or outside the 30-day window need a team lead's approval.\n\n"
             "- Up to 500 EUR within 30 days: the rep approves.\n- Above 500 EUR: team lead.\n"
             "- Chargeback opened: do not refund; escalate to Billing tier 2."),
        ]),
        ("Payments and invoices", [
            ("Download an invoice", "public",
             "Invoices are in **Account › Orders › Invoice** as PDF. Business customers can "
             "add a VAT number before ordering; we cannot change an issued invoice."),
            ("My payment was declined", "public",
             "Most declines come from the bank's fraud check. Try again after confirming the "
             "payment in your banking app, or use another payment method."),
        ]),
    ]),
    ("Your account", "Sign-in, password and personal data.", [
        ("Sign-in", [
            ("Reset your password", "public",
             "Select **Forgot password** on the sign-in page and enter your email address. "
             "The reset link is valid for one hour. Check your spam folder if it does not "
             "arrive within 5 minutes."),
            ("Account takeover: verification steps", "internal",
             "Before changing the email address or password on a customer's request, verify "
             "two of: last order number, postcode, last 4 digits of the card."),
        ]),
        ("Privacy", [
            ("Delete your account and data", "public",
             "You can ask us to delete your account at any time. We keep invoices for the "
             "period the law requires and delete everything else within 30 days."),
        ]),
    ]),
]
# fmt: on
NO_RESULT_SEARCHES = ["gift wrapping", "student discount", "pay in installments", "warranty"]


def seed_help_center(rng: random.Random, *, manager: User, director: User) -> int:
    if ArticleCategory.objects.exists():
        return 0
    made = 0
    for c_pos, (cat_name, description, sections) in enumerate(HELP_CENTER):
        category = ArticleCategory.objects.create(
            name=cat_name, slug=_slug(cat_name), description=description, position=c_pos
        )
        for s_pos, (sec_name, articles) in enumerate(sections):
            section = ArticleSection.objects.create(
                category=category, name=sec_name, slug=_slug(sec_name), position=s_pos
            )
            for title, visibility, body in articles:
                draft = services.create_article(
                    by=manager, title=title, section=section, visibility=visibility, body=body
                )
                documents.submit(draft.pk, by=manager)
                documents.approve(draft.pk, by=director)
                documents.publish(draft.pk, by=director)
                made += 1
    _reader_activity(rng)
    return made


def _reader_activity(rng: random.Random) -> None:
    today = timezone.localdate()
    now = timezone.now()
    for article in Article.objects.filter(visibility="public"):
        ArticleViewDay.objects.bulk_create(
            ArticleViewDay(article=article, day=today - timedelta(days=d), views=rng.randint(3, 60))
            for d in range(14)
        )
        for _ in range(rng.randint(2, 9)):
            ArticleFeedback.objects.create(
                article=article,
                helpful=rng.random() < 0.78,
                at=now - timedelta(hours=rng.randint(1, 300)),
            )
    for query in NO_RESULT_SEARCHES:
        for _ in range(rng.randint(1, 6)):
            HelpSearch.objects.create(
                query=query, results=0, source=HelpSearch.Source.HELP_CENTER,
                at=now - timedelta(hours=rng.randint(1, 300)),
            )  # fmt: skip


def _slug(name: str) -> str:
    return slugify(name)
