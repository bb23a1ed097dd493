"""Outgoing webhooks: other tools hear what happens in csops (issue 17, "Integrations").

A consumer of the ticket event log and of the incident services. In the action's own
transaction ``services.record_ticket_events`` / ``services.record_incident`` write one
``WebhookEvent`` (once per source) and one ``WebhookDelivery`` per active subscription that
wants its type, each with a durable job (csops.jobs). ``services.deliver`` sends one delivery,
signed (``signing``), and records the attempt; see services' docstring for the guarantees.
"""
