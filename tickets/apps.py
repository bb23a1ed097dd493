from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        # The app's scope rules, asked through the one entry point ``csops.permissions``.
        from csops import permissions
        from tickets import permissions as rules
        from tickets.chat import permissions as chat_rules
        from tickets.routing import permissions as routing_rules
        from tickets.saved_views import permissions as saved_view_rules
        from tickets.webhooks import permissions as webhook_rules

        permissions.register(rules)
        permissions.register(webhook_rules)
        permissions.register(routing_rules)
        permissions.register(saved_view_rules)
        permissions.register(chat_rules)

        # A solved ticket invites its requester to the CSAT survey (on commit of the change).
        from tickets.services import surveys
        from tickets.signals import ticket_changed

        ticket_changed.connect(surveys.on_ticket_changed, dispatch_uid="csat-survey-invite")

        # Onboarding: a new hire's "first ticket" step ticks itself from the ticket log.
        from staffing import step_evidence
        from tickets.onboarding_evidence import first_ticket_solved

        step_evidence.register("first_ticket", first_ticket_solved)

        # Open public incidents show on the public pages (help center, contact form, portal).
        from csops import public_notices
        from tickets.public_notices import open_public_incidents

        public_notices.provide(open_public_incidents)
