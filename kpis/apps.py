from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPIs"

    def ready(self) -> None:
        # The app's scope rules, asked through the one entry point ``csops.permissions``.
        from csops import permissions
        from kpis import permissions as rules

        permissions.register(rules)
        from kpis.digests import permissions as digest_rules

        permissions.register(digest_rules)

        from kpis import receivers
        from tickets.signals import tickets_changed

        tickets_changed.connect(receivers.queue_refresh, dispatch_uid="kpis.queue_refresh")
        # Deleting a ticket (the admin) cascades to its KPI rows: their days are refolded.
        from django.db.models.signals import pre_delete

        from tickets.models import Ticket

        pre_delete.connect(
            receivers.forget_deleted_ticket, sender=Ticket, dispatch_uid="kpis.forget_ticket"
        )

        # Performance reviews store the rep's ticket figures, computed here.
        from kpis.review_figures import review_figures
        from staffing.services import reviews

        if review_figures not in reviews._snapshot_providers:
            reviews.register_snapshot_provider(review_figures)

        # The planning pages' demand forecast, computed here (kpis.forecast).
        from kpis.forecast.provider import planning_demand
        from staffing.planning import demand

        demand.register_provider(planning_demand)

        # The budget's cost per ticket and per contact: volumes computed here.
        from kpis.budget_volumes import monthly_volumes
        from staffing.budget import volumes

        volumes.register_provider(monthly_volumes)
