# Placeholder in the agreed migration chain; its owner fills in the operations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0002_calendars_sla"),
        ("tickets", "0005_surveys"),
    ]

    operations: list = []
