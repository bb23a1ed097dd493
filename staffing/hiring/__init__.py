"""Hiring: requisitions approved by a director, candidates moving through a pipeline board,
structured interviews with independent scorecards, the hiring decision, and the hire itself
(user, staff profile, team, onboarding plan and required courses in one transaction).
Candidates' personal data is purged a configurable number of months after they leave the
pipeline without a hire (``purge.py``, a durable recurring job)."""
