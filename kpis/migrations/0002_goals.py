# Placeholder in the agreed migration chain; its owner fills in the operations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0001_initial"),
    ]

    operations: list = []
