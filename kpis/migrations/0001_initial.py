# The KPI engine's tables (kpis/models/: ticket_metrics, rollups, jobs).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0006_policy_records"),
        ("policies", "0003_documents"),
        ("staffing", "0002_development"),
    ]

    operations = [
        migrations.CreateModel(
            name="KpiHeartbeat",
            fields=[
                ("name", models.CharField(max_length=20, primary_key=True, serialize=False)),
                ("at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="DailyRollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("created", "Tickets created"),
                            ("first_reply", "First replies"),
                            ("first_resolution", "First resolutions"),
                            ("resolved", "Resolved tickets (last solve)"),
                            ("sla", "SLA outcomes (finished instances)"),
                        ],
                        max_length=20,
                    ),
                ),
                ("day", models.DateField()),
                ("level", models.PositiveSmallIntegerField(default=0)),
                ("team_id", models.IntegerField(blank=True, null=True)),
                ("agent_id", models.IntegerField(blank=True, null=True)),
                ("channel", models.CharField(max_length=10)),
                ("priority", models.CharField(max_length=10)),
                ("metric", models.CharField(blank=True, max_length=20)),
                ("n", models.IntegerField(default=0)),
                ("sum_cal", models.BigIntegerField(default=0)),
                ("sum_bus", models.BigIntegerField(default=0)),
                ("n_inbound", models.IntegerField(default=0)),
                ("n_fcr", models.IntegerField(default=0)),
                ("n_zero_touch", models.IntegerField(default=0)),
                ("n_one_touch", models.IntegerField(default=0)),
                ("n_two_touch", models.IntegerField(default=0)),
                ("n_reopened", models.IntegerField(default=0)),
                ("n_achieved", models.IntegerField(default=0)),
                ("n_breached", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["kind", "level", "day"], name="rollup_kind_level_day")
                ],
            },
        ),
        migrations.CreateModel(
            name="DirtyBucket",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=20)),
                ("day", models.DateField()),
                ("marked_at", models.DateTimeField()),
                ("claimed_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "day"), name="dirty_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="RebuildJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("heartbeat_at", models.DateTimeField(blank=True, null=True)),
                ("max_ticket_id", models.BigIntegerField(default=0)),
                ("last_ticket_id", models.BigIntegerField(default=0)),
                ("total", models.IntegerField(default=0)),
                ("done", models.IntegerField(default=0)),
                ("error", models.TextField(blank=True)),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-pk"],
            },
        ),
        migrations.CreateModel(
            name="TicketMetricsRow",
            fields=[
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="metrics",
                        serialize=False,
                        to="tickets.ticket",
                    ),
                ),
                ("source_event_id", models.BigIntegerField(help_text="Latest event seq applied.")),
                ("last_event_at", models.DateTimeField()),
                ("computed_at", models.DateTimeField()),
                ("created_at", models.DateTimeField()),
                ("created_day", models.DateField()),
                ("created_agent_id", models.IntegerField(blank=True, null=True)),
                ("created_team_id", models.IntegerField(blank=True, null=True)),
                ("created_priority", models.CharField(max_length=10)),
                ("channel", models.CharField(max_length=10)),
                ("inbound", models.BooleanField()),
                ("status", models.CharField(max_length=10)),
                ("current_agent_id", models.IntegerField(blank=True, null=True)),
                ("current_team_id", models.IntegerField(blank=True, null=True)),
                ("current_priority", models.CharField(max_length=10)),
                ("resolved", models.BooleanField()),
                (
                    "first_reply_cal",
                    models.BigIntegerField(
                        blank=True,
                        help_text="created (or first customer reply) -> first agent reply, s",
                        null=True,
                    ),
                ),
                (
                    "first_reply_bus",
                    models.BigIntegerField(blank=True, help_text="business seconds", null=True),
                ),
                ("first_reply_at", models.DateTimeField(blank=True, null=True)),
                ("first_reply_day", models.DateField(blank=True, null=True)),
                ("first_reply_agent_id", models.IntegerField(blank=True, null=True)),
                ("first_reply_team_id", models.IntegerField(blank=True, null=True)),
                ("first_reply_priority", models.CharField(blank=True, max_length=10)),
                (
                    "first_resolution_cal",
                    models.BigIntegerField(
                        blank=True, help_text="created -> first solve, s", null=True
                    ),
                ),
                (
                    "first_resolution_bus",
                    models.BigIntegerField(blank=True, help_text="business seconds", null=True),
                ),
                ("first_resolution_at", models.DateTimeField(blank=True, null=True)),
                ("first_resolution_day", models.DateField(blank=True, null=True)),
                ("first_resolution_agent_id", models.IntegerField(blank=True, null=True)),
                ("first_resolution_team_id", models.IntegerField(blank=True, null=True)),
                ("first_resolution_priority", models.CharField(blank=True, max_length=10)),
                (
                    "full_resolution_cal",
                    models.BigIntegerField(
                        blank=True, help_text="created -> last solve, s", null=True
                    ),
                ),
                (
                    "full_resolution_bus",
                    models.BigIntegerField(blank=True, help_text="business seconds", null=True),
                ),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
                ("resolved_day", models.DateField(blank=True, null=True)),
                ("resolved_agent_id", models.IntegerField(blank=True, null=True)),
                ("resolved_team_id", models.IntegerField(blank=True, null=True)),
                ("resolved_priority", models.CharField(blank=True, max_length=10)),
                ("requester_wait_cal", models.BigIntegerField()),
                ("requester_wait_bus", models.BigIntegerField()),
                ("agent_work_cal", models.BigIntegerField()),
                ("agent_work_bus", models.BigIntegerField()),
                ("agent_wait_cal", models.BigIntegerField()),
                ("agent_wait_bus", models.BigIntegerField()),
                ("on_hold_cal", models.BigIntegerField()),
                ("on_hold_bus", models.BigIntegerField()),
                ("reopens", models.IntegerField()),
                ("agent_replies", models.IntegerField()),
                ("customer_followups", models.IntegerField()),
                ("escalations", models.IntegerField()),
                ("assignee_stations", models.IntegerField()),
                ("group_stations", models.IntegerField()),
                ("zero_touch", models.BooleanField(blank=True, null=True)),
                ("one_touch", models.BooleanField(blank=True, null=True)),
                ("two_touch", models.BooleanField(blank=True, null=True)),
                ("fcr", models.BooleanField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "ticket metrics",
                "verbose_name_plural": "ticket metrics",
                "indexes": [
                    models.Index(fields=["created_day", "created_team_id"], name="tm_created_day"),
                    models.Index(
                        fields=["first_reply_day", "first_reply_team_id"],
                        include=["first_reply_cal", "first_reply_bus"],
                        name="tm_fr_day",
                    ),
                    models.Index(
                        fields=["first_resolution_day", "first_resolution_team_id"],
                        name="tm_fres_day",
                    ),
                    models.Index(
                        fields=["resolved_day", "resolved_team_id"],
                        include=["full_resolution_cal", "full_resolution_bus"],
                        name="tm_res_day",
                    ),
                    models.Index(
                        condition=models.Q(("status__in", ("new", "open", "pending", "on_hold"))),
                        fields=["current_team_id", "created_at"],
                        include=["status"],
                        name="tm_backlog",
                    ),
                    models.Index(fields=["last_event_at"], name="tm_last_event"),
                ],
            },
        ),
        migrations.CreateModel(
            name="TicketSlaRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("metric", models.CharField(max_length=20)),
                ("index", models.PositiveIntegerField()),
                ("activated_at", models.DateTimeField()),
                ("ended_at", models.DateTimeField(blank=True, null=True)),
                ("finished", models.BooleanField()),
                ("outcome", models.CharField(max_length=12)),
                ("due_at", models.DateTimeField(blank=True, null=True)),
                ("outcome_at", models.DateTimeField(blank=True, null=True)),
                ("outcome_day", models.DateField(blank=True, null=True)),
                ("agent_id", models.IntegerField(blank=True, null=True)),
                ("team_id", models.IntegerField(blank=True, null=True)),
                ("priority", models.CharField(max_length=10)),
                ("channel", models.CharField(max_length=10)),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tickets.ticket",
                    ),
                ),
            ],
            options={
                "verbose_name": "ticket SLA instance",
                "indexes": [
                    models.Index(fields=["outcome_day", "metric"], name="tsla_outcome_day"),
                    models.Index(
                        condition=models.Q(("finished", False)),
                        fields=["due_at"],
                        name="tsla_open_due",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("ticket", "metric", "index"), name="tsla_unique"
                    )
                ],
            },
        ),
    ]
