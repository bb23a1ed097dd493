# Escalations, escalation rules and incidents (issue 3).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0003_sla"),
        ("staffing", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EscalationRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120)),
                ("active", models.BooleanField(default=True)),
                (
                    "position",
                    models.PositiveIntegerField(default=0, help_text="Rules apply in this order."),
                ),
                (
                    "trigger",
                    models.CharField(
                        choices=[
                            ("sla_breach", "SLA target breached"),
                            ("sla_at_risk", "SLA target at risk"),
                            ("urgent_no_reply", "Urgent ticket without a reply for N minutes"),
                            ("customer_keyword", "Customer reply contains a keyword"),
                            ("negative_csat", "Negative CSAT response"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "minutes",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="urgent_no_reply: minutes without an agent reply.",
                        null=True,
                    ),
                ),
                (
                    "keywords",
                    models.TextField(
                        blank=True, help_text="customer_keyword: comma-separated words or phrases."
                    ),
                ),
                (
                    "metric",
                    models.CharField(
                        blank=True,
                        help_text="SLA triggers: only this metric (empty = any).",
                        max_length=30,
                    ),
                ),
                (
                    "raise_priority_to",
                    models.CharField(
                        blank=True,
                        choices=[("high", "High"), ("urgent", "Urgent")],
                        help_text="Raise to this priority (never lowers).",
                        max_length=10,
                    ),
                ),
                (
                    "notify",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Nobody"),
                            ("assignee", "The assignee"),
                            ("team_managers", "The team's managers"),
                            ("directors", "All directors"),
                        ],
                        max_length=20,
                    ),
                ),
                ("open_escalation", models.BooleanField(default=False)),
                (
                    "escalation_category",
                    models.CharField(
                        choices=[
                            ("refund_approval", "Needs refund approval"),
                            ("technical", "Technical"),
                            ("complaint", "Complaint"),
                            ("legal", "Legal"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=20,
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("updated_at", models.DateTimeField()),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reassign_team",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="staffing.team",
                    ),
                ),
                (
                    "reassign_user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Escalation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("to_tier", models.PositiveSmallIntegerField()),
                (
                    "target",
                    models.CharField(
                        choices=[("tier", "Next tier's team"), ("manager", "Team manager")],
                        max_length=10,
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("accepted", "Accepted"),
                            ("resolved", "Resolved"),
                            ("returned", "Returned"),
                        ],
                        default="open",
                        max_length=10,
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("refund_approval", "Needs refund approval"),
                            ("technical", "Technical"),
                            ("complaint", "Complaint"),
                            ("legal", "Legal"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                ("reason", models.TextField()),
                (
                    "guidance",
                    models.TextField(
                        blank=True, help_text="The handler's answer on return/resolve."
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
                ("returned_at", models.DateTimeField(blank=True, null=True)),
                (
                    "from_team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="staffing.team",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="owned_escalations",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "raised_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty when an automatic rule opened it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="escalations",
                        to="tickets.ticket",
                    ),
                ),
                (
                    "to_team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="incoming_escalations",
                        to="staffing.team",
                    ),
                ),
                (
                    "rule",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="tickets.escalationrule",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Incident",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "severity",
                    models.CharField(
                        choices=[
                            ("sev1", "SEV1 — critical"),
                            ("sev2", "SEV2 — major"),
                            ("sev3", "SEV3 — minor"),
                        ],
                        default="sev2",
                        max_length=4,
                    ),
                ),
                ("description", models.TextField()),
                (
                    "customer_update",
                    models.TextField(help_text="The current customer-facing text."),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "Open"), ("resolved", "Resolved")],
                        default="open",
                        max_length=10,
                    ),
                ),
                ("declared_at", models.DateTimeField()),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
                (
                    "declared_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="incidents",
                        to="staffing.team",
                    ),
                ),
            ],
            options={
                "ordering": ["-declared_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="IncidentLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("linked_at", models.DateTimeField()),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="tickets.incident",
                    ),
                ),
                (
                    "linked_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
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
                "ordering": ["linked_at", "pk"],
            },
        ),
        migrations.AddField(
            model_name="incident",
            name="tickets",
            field=models.ManyToManyField(
                related_name="incidents", through="tickets.IncidentLink", to="tickets.ticket"
            ),
        ),
        migrations.CreateModel(
            name="IncidentUpdate",
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
                            ("update", "Update"),
                            ("resolution", "Resolution (solves the tickets)"),
                        ],
                        default="update",
                        max_length=10,
                    ),
                ),
                ("body", models.TextField()),
                ("posted_at", models.DateTimeField()),
                ("total", models.PositiveIntegerField(default=0)),
                ("done", models.PositiveIntegerField(default=0)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="updates",
                        to="tickets.incident",
                    ),
                ),
                (
                    "posted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["posted_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="IncidentDelivery",
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
                            ("pending", "Pending"),
                            ("delivered", "Delivered"),
                            ("skipped", "Skipped (ticket closed)"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("delivered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "event",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="tickets.ticketevent",
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tickets.ticket",
                    ),
                ),
                (
                    "update",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="tickets.incidentupdate",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="RuleFiring",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("instance", models.CharField(max_length=120)),
                ("fired_at", models.DateTimeField()),
                ("actions", models.JSONField(blank=True, default=list)),
                (
                    "rule",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="firings",
                        to="tickets.escalationrule",
                    ),
                ),
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
                "ordering": ["-fired_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SpikeAlert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "dimension",
                    models.CharField(
                        choices=[("category", "Category"), ("tag", "Tag")], max_length=10
                    ),
                ),
                ("key_id", models.PositiveIntegerField()),
                ("key_name", models.CharField(max_length=120)),
                ("hour", models.DateTimeField(help_text="Start of the hour (UTC) that spiked.")),
                ("count", models.PositiveIntegerField()),
                (
                    "baseline",
                    models.FloatField(help_text="Mean of the same hour over the previous 4 weeks."),
                ),
                ("ticket_ids", models.JSONField(default=list)),
                ("created_at", models.DateTimeField()),
                ("dismissed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "incident",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="tickets.incident",
                    ),
                ),
            ],
            options={
                "ordering": ["-hour", "-count"],
            },
        ),
        migrations.AddIndex(
            model_name="escalationrule",
            index=models.Index(fields=["trigger", "active"], name="escrule_trigger_active"),
        ),
        migrations.AddConstraint(
            model_name="escalationrule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("trigger", "urgent_no_reply"), _negated=True),
                    ("minutes__gte", 1),
                    _connector="OR",
                ),
                name="escrule_minutes_for_urgent",
                violation_error_message="An urgent-no-reply rule needs a number of minutes.",
            ),
        ),
        migrations.AddIndex(
            model_name="escalation",
            index=models.Index(
                fields=["to_team", "state", "created_at"], name="esc_team_state_created"
            ),
        ),
        migrations.AddConstraint(
            model_name="escalation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state__in", ["open", "accepted"])),
                fields=("ticket",),
                name="esc_one_active_per_ticket",
                violation_error_message="This ticket already has an open escalation.",
            ),
        ),
        migrations.AddConstraint(
            model_name="incidentlink",
            constraint=models.UniqueConstraint(
                fields=("incident", "ticket"), name="incidentlink_once"
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                fields=["team", "state", "-declared_at"], name="incident_team_state"
            ),
        ),
        migrations.AddIndex(
            model_name="incidentdelivery",
            index=models.Index(fields=["update", "state"], name="delivery_update_state"),
        ),
        migrations.AddConstraint(
            model_name="incidentdelivery",
            constraint=models.UniqueConstraint(
                fields=("update", "ticket"), name="delivery_once_per_ticket"
            ),
        ),
        migrations.AddConstraint(
            model_name="rulefiring",
            constraint=models.UniqueConstraint(
                fields=("rule", "ticket", "instance"), name="rulefiring_once_per_instance"
            ),
        ),
        migrations.AddConstraint(
            model_name="spikealert",
            constraint=models.UniqueConstraint(
                fields=("dimension", "key_id", "hour"), name="spike_once_per_key_hour"
            ),
        ),
    ]
