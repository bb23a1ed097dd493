from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPIs"

    def ready(self) -> None:
        from kpis import receivers
        from tickets.signals import ticket_changed

        ticket_changed.connect(receivers.queue_refresh, dispatch_uid="kpis.queue_refresh")

        # Performance reviews store the rep's ticket figures, computed here.
        from kpis.review_figures import review_figures
        from staffing.services import reviews

        if review_figures not in reviews._snapshot_providers:
            reviews.register_snapshot_provider(review_figures)
