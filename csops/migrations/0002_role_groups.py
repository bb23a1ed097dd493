from django.db import migrations

from csops.roles import sync_groups


class Migration(migrations.Migration):
    dependencies = [
        ("csops", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("staffing", "0001_initial"),
        ("policies", "0001_initial"),
        ("tickets", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
