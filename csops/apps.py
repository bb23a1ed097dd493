from django.apps import AppConfig


class CsopsConfig(AppConfig):
    name = "csops"
    verbose_name = "csops core"
