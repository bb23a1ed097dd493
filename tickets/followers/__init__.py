"""Following an incident (issue 17, "Crisis notice"): while a public incident is open, the
contact form offers to follow it instead of opening a request.

A customer gives an address (``services.request_follow``); a signed, expiring link is mailed
to it (``links``), and following it confirms (``services.confirm``): only then is the address
a follower. Every update and the resolution posted afterwards are queued to each confirmed
follower through the outbox in the posting transaction (``services.notify_followers``), each
mail with its own unsubscribe link (``services.unfollow``). No answer tells whether an address
already follows, and the doors are rate limited like the contact form's.
"""
