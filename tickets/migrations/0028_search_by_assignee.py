import django.db.models.deletion
from django.db import migrations, models

# A rep's search ("My tickets" and a word) found every ticket with the word through the GIN
# index (78,000 for "refund" at 1M tickets), every ticket of theirs through a B-tree, and
# ANDed the two: 35-50 ms. A GIN index over the search vector *and* the assignee (btree_gin)
# intersects them inside the index, skipping most of the word's list: 6-8 ms. It replaces
# the search-only index (a search without an assignee reads its first column the same way).
# The team's own foreign-key index goes too: the planner ANDed it in anyway (a quarter of a
# million entries for one team); the team's composite indexes lead with team_id.
# PostgreSQL only: SQLite (embedded mode) searches with LIKE.


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ticket_search_assignee_gin "
        "ON tickets_ticket USING gin (search_vector, assignee_id)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS ticket_search_gin")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ticket_search_gin ON tickets_ticket USING gin (search_vector)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS ticket_search_assignee_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("staffing", "0008_hiring"),
        ("tickets", "0027_chat_channels"),
    ]

    operations = [
        migrations.RunPython(create, drop),
        migrations.AlterField(
            model_name="ticket",
            name="team",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tickets",
                to="staffing.team",
            ),
        ),
    ]
