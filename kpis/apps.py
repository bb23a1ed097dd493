from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPIs"

    def ready(self) -> None:
        from kpis import receivers
        from tickets.signals import ticket_changed

        ticket_changed.connect(receivers.queue_refresh, dispatch_uid="kpis.queue_refresh")
