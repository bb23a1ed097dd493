"""The customer's doors that need no password: the public contact form and the portal.

- ``links``: signed, expiring magic links bound to one email address, and the portal session
  they open (scoped to that address only).
- ``services``: the contact form's submission, the portal's link request, reply and new
  request; ``selectors``: the requests a portal session may see (its address's, public
  conversation only).
- ``views`` / ``urls`` / ``forms``: the public pages (``templates/portal/``), rate limited with
  django-ratelimit; a refused request answers the 429 page.

This package's ``__init__`` imports nothing.
"""
