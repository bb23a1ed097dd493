from django.db import migrations

from csops.roles import sync_groups


class Migration(migrations.Migration):
    """Give the role groups the permissions of the models added since 0002."""

    dependencies = [
        ("csops", "0003_notifications"),
        ("kpis", "0002_goals"),
        ("staffing", "0002_development"),
        ("policies", "0003_documents"),
        ("tickets", "0006_policy_records"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
