"""The default interview scorecards: competencies per stage, each level of 1-5 anchored.
The migration adds a frozen copy; ``ensure_defaults`` puts back any that are missing (the
demo seed, and tests after a transactional test's flush)."""

from __future__ import annotations

from staffing.hiring.models import Competency

DEFAULTS = [
    (
        "screen",
        1,
        "Communication",
        [
            "Hard to follow; answers miss the question",
            "Understandable with effort; rambles or is curt",
            "Clear and polite; answers what was asked",
            "Clear, concise, adapts tone to the listener",
            "Explains anything simply; a model for customers",
        ],
    ),
    (
        "screen",
        2,
        "Motivation for the role",
        [
            "No idea what the job is",
            "Wants any job; vague about support work",
            "Knows the job and gives a reason to want it",
            "Has thought about the work and its hard days",
            "Specific, credible reasons backed by experience",
        ],
    ),
    (
        "interview",
        1,
        "Customer empathy",
        [
            "Blames or dismisses the customer",
            "Acknowledges feelings only when prompted",
            "Acknowledges the customer and keeps calm",
            "Reads the customer's situation and adjusts",
            "Turns an angry customer into a satisfied one",
        ],
    ),
    (
        "interview",
        2,
        "Problem solving",
        [
            "Guesses; no structure",
            "Follows a script and stops at its end",
            "Asks the right questions and finds the cause",
            "Finds the cause and checks the fix",
            "Finds the cause, fixes it and prevents a repeat",
        ],
    ),
    (
        "interview",
        3,
        "Written replies",
        [
            "Errors that change the meaning",
            "Correct but unclear or impersonal",
            "Clear, correct and complete",
            "Clear and warm; anticipates the next question",
            "Could be used as a macro as is",
        ],
    ),
    (
        "offer",
        1,
        "References and readiness",
        [
            "References raise serious concerns",
            "References mixed; start uncertain",
            "References fine; can start as planned",
            "Strong references; ready to start",
            "Outstanding references; ready to start",
        ],
    ),
]


def ensure_defaults() -> int:
    """Create the default competencies that do not exist; returns how many were made."""
    made = 0
    for stage, order, name, anchors in DEFAULTS:
        _, created = Competency.objects.get_or_create(
            stage=stage,
            name=name,
            defaults={"order": order, **{f"anchor_{n}": a for n, a in enumerate(anchors, 1)}},
        )
        made += created
    return made
