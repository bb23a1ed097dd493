"""A fixed, small set of records of every feature, around the seeded tickets' people, teams
and dates (whatever the number of tickets): SLA-era surveys, escalations in every state, an
open incident, policies and procedures, macros, training, certifications, onboarding, QA,
performance reviews, goals, planning and hiring. Each part runs once: a re-run finds its
records and skips it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from tickets.models import Escalation, EscalationState
from tickets.seeding.features import (
    budget,
    customers,
    desk,
    digests,
    documents,
    hiring,
    integrations,
    knowledge,
    mail,
    people,
    planning,
    portal,
    routing,
    surveys,
    teamwork,
)

QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def seed_features(
    *, seed: int, until: datetime, log: Callable[[str], None] = lambda message: None
) -> dict[str, int]:
    """Make the records; returns how many of each kind were made now."""
    rng = random.Random(seed)
    staff = {
        u.username: u
        for u in User.objects.filter(username__in=("rep", "rep2", "manager", "director"))
    }
    reps, manager, director = [staff["rep"], staff["rep2"]], staff["manager"], staff["director"]
    today = timezone.localdate()
    made: dict[str, int] = {}
    # The in-app notices stay; their mails to the demo's made-up addresses are not sent.
    with override_settings(EMAIL_BACKEND=QUIET_MAIL), transaction.atomic():
        made["surveys"] = surveys.seed_surveys(rng, until)
        made["documents"] = documents.seed_documents(
            manager=manager, director=director, reps=reps, today=today
        )
        made["people"] = people.seed_people(
            rng, manager=manager, director=director, reps=reps, today=today
        )
        if not Escalation.objects.exists():
            history = desk.seed_history(rng)
            live, made["ticket events"] = desk.seed_live(
                manager, reps, accept=not history[EscalationState.ACCEPTED]
            )
            made["escalations"] = sum(history.values()) + live
        made["incidents"] = int(desk.seed_incident(manager, until) is not None)
        made["webhooks"] = integrations.seed_webhook(director)
        made["KPI digests"] = digests.seed_digest(director)
        made["chat channels"] = integrations.seed_chat_channel(manager)
        made["incident followers"] = integrations.seed_follower()
        made["planning"] = planning.seed_planning(director=director, today=today)
        made["hiring"] = hiring.seed_hiring(manager=manager, director=director)
        made["budget lines"] = budget.seed_budget(director=director, today=today)
        made["portal requests"] = portal.seed_portal_customer(reps)
        made["help articles"] = knowledge.seed_help_center(rng, manager=manager, director=director)
        made["links and merges"] = teamwork.seed_links(manager)
        made["saved views"] = teamwork.seed_saved_views(manager, reps[0])
        made["customer notes"] = customers.seed_customer_notes(rng, reps=reps)
        made["inbound mails"] = mail.seed_mail_thread(reps)
        # Last: routing is switched on only after every demo ticket exists.
        made["skills granted"] = routing.seed_routing(manager=manager, director=director)
    log("  features: " + ", ".join(f"{v} {k}" for k, v in made.items()))
    return made
