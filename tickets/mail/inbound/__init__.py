"""Inbound email: every customer message from a team's mailbox becomes a ticket or a reply.

- ``models``: mailboxes (per team, IMAP settings, poll state) and the inbound record of each
  message (one row per message, processed exactly once).
- ``parse``: the stdlib ``email`` package turned into what a ticket needs (text, HTML, sender,
  threading headers, attachments), never raising on broken mail.
- ``noise``: auto-replies, out-of-office and bounces.
- ``threading``: which ticket a message belongs to (Message-IDs, then a signed token).
- ``tokens``: the signed ticket reference in Reply-To addresses and subjects.
- ``services``: ``ingest(raw, ...)``, the one service behind every door (IMAP, the raw-MIME
  webhook, ``manage.py ingest_email``), and ``retry`` for failed records.
- ``views``: the raw-MIME HTTP door.

This package's ``__init__`` imports nothing: ``tickets.models`` imports ``.models``.
"""
