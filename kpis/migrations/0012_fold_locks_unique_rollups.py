"""Unique natural keys on the rollup tables, and a generation on dirty buckets.

Folds that overlapped before bucket locks could leave a bucket's rows twice: those are
deleted first (one row of each key kept) and their buckets marked dirty, so the next fold
recounts them. The histogram's unique index replaces its read index (same leading columns,
every column the reads need).
"""

from django.db import migrations, models
from django.utils import timezone

# table, natural key, the (kind, day) DirtyBucket of a row
_TABLES = (
    (
        "kpis_dailyrollup",
        "kind, level, day, team_id, agent_id, channel, priority, metric",
        "kind AS k, day AS d",
    ),
    ("kpis_dailyhistogram", "kind, hours, level, span, day, team_id, bin", "kind AS k, day AS d"),
    (
        "kpis_dailybacklog",
        "level, day, team_id, agent_id, channel, priority",
        "'backlog' AS k, day AS d",
    ),
)


def dedupe(apps, schema_editor) -> None:
    now = timezone.now()
    with schema_editor.connection.cursor() as cur:
        for table, key, bucket in _TABLES:
            extra = f"id NOT IN (SELECT MIN(id) FROM {table} GROUP BY {key})"
            cur.execute(
                "INSERT INTO kpis_dirtybucket (kind, day, marked_at, generation) "
                f"SELECT k, d, %s, 0 FROM (SELECT DISTINCT {bucket} FROM {table} "
                f"WHERE {extra}) AS dup WHERE TRUE "  # aliases inside: SQLite has no dup(k, d)
                "ON CONFLICT (kind, day) DO UPDATE SET generation = "
                "kpis_dirtybucket.generation + 1",
                [now],
            )
            cur.execute(f"DELETE FROM {table} WHERE {extra}")


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0011_open_tickets_per_day"),
    ]

    operations = [
        migrations.AddField(
            model_name="dirtybucket",
            name="generation",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(dedupe, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="dailybacklog",
            constraint=models.UniqueConstraint(
                fields=("level", "day", "team_id", "agent_id", "channel", "priority"),
                name="daily_backlog_unique",
                nulls_distinct=False,
                violation_error_message="A backlog row for this day and cell exists.",
            ),
        ),
        migrations.AddConstraint(
            model_name="dailyhistogram",
            constraint=models.UniqueConstraint(
                fields=("kind", "hours", "level", "span", "day", "team_id", "bin"),
                include=("n",),
                name="hist_unique",
                nulls_distinct=False,
                violation_error_message="A histogram row for this bucket and bin exists.",
            ),
        ),
        migrations.RemoveIndex(
            model_name="dailyhistogram",
            name="hist_kind_level_span_day",
        ),
        migrations.AddConstraint(
            model_name="dailyrollup",
            constraint=models.UniqueConstraint(
                fields=(
                    "kind",
                    "level",
                    "day",
                    "team_id",
                    "agent_id",
                    "channel",
                    "priority",
                    "metric",
                ),
                name="rollup_unique",
                nulls_distinct=False,
                violation_error_message="A rollup row for this bucket and cell exists.",
            ),
        ),
    ]
