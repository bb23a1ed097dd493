# Placeholder in the agreed migration chain; its owner fills in the operations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0003_sla"),
    ]

    operations: list = []
