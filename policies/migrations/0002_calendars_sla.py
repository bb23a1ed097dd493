# Placeholder in the agreed migration chain; its owner fills in the operations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0001_initial"),
        ("staffing", "0001_initial"),
        ("tickets", "0002_search_index"),
    ]

    operations: list = []
