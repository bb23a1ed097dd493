from django.db import migrations

# The queue's search box also finds customers by a piece of their name or email
# (``icontains``: UPPER(col) LIKE '%…%'). Without an index PostgreSQL reads every customer;
# trigram indexes on the same expressions serve it. PostgreSQL only: SQLite (embedded mode)
# scans, as before.

INDEXES = {
    "customer_name_trgm": "upper((name)::text)",
    "customer_email_trgm": "upper((email)::text)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON tickets_customer "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0023_outbox_notices_incident_followers")]

    operations = [migrations.RunPython(create, drop)]
