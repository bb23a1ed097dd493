# Placeholder in the agreed migration chain; its owner fills in the operations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0006_policy_records"),
        ("policies", "0003_documents"),
        ("staffing", "0002_development"),
    ]

    operations: list = []
