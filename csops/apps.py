from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class CsopsConfig(AppConfig):
    name = "csops"
    verbose_name = "csops core"

    def ready(self) -> None:
        # Each app registers its job handlers (jobs.py) and the kinds of work that wait for
        # a person (waiting.py) in modules of its own: csops names no app.
        autodiscover_modules("jobs")
        autodiscover_modules("waiting")
        # Signing out revokes the person's API token (see csops.tokens for why). Imported
        # here: csops.tokens needs the models loaded.
        from csops import tokens

        user_logged_out.connect(tokens.revoke_on_logout, dispatch_uid="csops-revoke-token")
        # After every migrate (and a test's flush), the role groups get the permissions of
        # every model, also of models added after the last resync migration: without this
        # the Admin role could not open the admin pages of new models on a fresh install.
        post_migrate.connect(_sync_role_groups, sender=self, dispatch_uid="csops-role-groups")


def _sync_role_groups(sender, apps=None, **kwargs) -> None:
    """``apps`` is the migrated state after a migrate; a flush sends none (the live apps)."""
    from django.apps import apps as live_apps

    from csops.roles import sync_groups

    sync_groups(apps or live_apps, None)
