"""Chat notifications (issue 17, "Integrations"): Slack and Microsoft Teams incoming webhooks
per team, told of SLA breaches, escalations to the team, incidents (declared, updated,
resolved) and spike alerts, as formatted messages with a link back to csops.

The services that make those events call ``services.record_*`` inside their transaction: one
``ChatDelivery`` per channel of the concerned team that wants the event (unique per channel
and source, so an event is posted once), each with a durable job (csops.jobs). The message is
a plain ``formats.Notice`` kept on the row and rendered for the channel's kind (Slack blocks
with mrkdwn, or a Teams MessageCard) by ``formats``; ``services.deliver`` posts it, logs the
attempt and retries with the job back-off, and a channel that keeps failing is paused and the
team's managers told, with what it shares with webhook subscriptions (tickets.endpoints).
"""
