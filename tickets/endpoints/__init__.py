"""What the two kinds of outgoing endpoint share: a webhook subscription (tickets.webhooks)
and a team's chat channel (tickets.chat). Each app keeps its own models, messages, URLs and
fan-out; these modules hold the parts that are the same rule in both: the fields an endpoint
and a delivery keep (``models``), the check of the common fields (``fields``), the failure
streak that pauses an endpoint (``streak``), the end of one delivery try (``delivery``) and
the form fields and form saving of their pages (``forms``). Their API is
``tickets.endpoint_api``."""
