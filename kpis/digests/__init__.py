"""Scheduled KPI digests: a director or manager subscribes to a weekly or monthly mail of their
scope's dashboard tiles against goals, the trend versus the period before and the period's
worst SLA breaches, as HTML (with a text part) and a CSV attached, sent through the outbox.

- ``models``: subscriptions (who, cadence, teams) and deliveries (one per subscription and
  period: the record that makes a digest go out exactly once).
- ``periods``: the last complete ISO week or calendar month (pure).
- ``figures``: the digest's numbers, from the dashboard's own code (``kpis.dashboard.tiles``),
  so they equal the dashboard for the same period and scope.
- ``render``: the HTML, text and CSV of a digest.
- ``services``: subscribe, unsubscribe, preview, and ``send_due`` (the recurring job's body).
- ``jobs`` / ``tasks``: the durable recurring job and the beat task that makes it due.
- ``views`` / ``urls`` / ``api`` / ``admin`` / ``permissions``: the doors and the rules.

This package's ``__init__`` imports nothing: ``kpis.models`` imports ``kpis.digests.models``.
"""
