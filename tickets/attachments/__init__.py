"""Attachments of ticket messages: files checked by content, stored through Django's storage
API (the ``attachments`` storage: the filesystem by default, an S3-compatible store by
settings), downloaded only by people who may see the ticket, mailed with public replies.

- ``models.Attachment``: one stored file of one ticket event.
- ``services.check_files`` / ``services.attach``: the one door every channel uses (agents'
  replies, inbound mail, the web form, the portal).
- ``views.attachment_download``: the download, always as a file, never rendered inline.
"""
