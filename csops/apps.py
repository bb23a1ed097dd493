from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CsopsConfig(AppConfig):
    name = "csops"
    verbose_name = "csops core"

    def ready(self) -> None:
        # Each app registers its job handlers in its own jobs.py (csops names no app).
        autodiscover_modules("jobs")
