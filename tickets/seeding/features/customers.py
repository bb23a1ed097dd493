"""The demo's internal notes about customers: a few requesters of the reps' teams get a note
each, so the customer pages show what staff keep about people."""

from __future__ import annotations

import random

from django.contrib.auth.models import User

from csops import permissions
from tickets.customers import services
from tickets.models import Customer, CustomerNote

NOTES = [
    "Prefers a phone call for anything about billing; email is fine otherwise.",
    "Key contact for the renewal in March. Loop in the account manager on escalations.",
    "Writes in English and Portuguese; answer in the language of the last message.",
]


def seed_customer_notes(rng: random.Random, *, reps: list[User]) -> int:
    if CustomerNote.objects.exists():
        return 0
    rep = reps[0]
    seen = permissions.scope_customers(rep, Customer.objects.all()).order_by("pk")[:50]
    chosen = rng.sample(list(seen), k=min(len(NOTES), len(seen)))
    for customer, body in zip(chosen, NOTES, strict=False):
        services.add_note(customer.pk, by=rep, body=body)
    return len(chosen)
