"""Outbound email: every public reply is mailed to the ticket's requester through an outbox.

- ``models``: the outbox (one row per message, the truth about its delivery).
- ``services``: queue a reply's message in the reply's transaction, send it once, retry it.
- ``compose``: the MIME message of a row (threading headers, text and HTML parts).
- ``jobs``: the durable-job handler that sends a row (csops.jobs).
- ``views`` / ``admin``: the workspace's retry button and the read-only admin.

This package's ``__init__`` imports nothing: ``tickets.models`` imports ``tickets.mail.models``.
"""
