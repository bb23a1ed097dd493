# §9.17 attribution of survey answers (tickets/models/surveys.py): the columns, a backfill
# from each ticket's log, then the covering indexes (built after the backfill).

from collections import defaultdict

from django.db import migrations, models

from tickets.services.survey_attribution import STATE_TYPES, attribute_rating, log_events

BATCH = 500
FIELDS = ["attributed", "agent_id", "team_id", "priority"]


def backfill(apps, schema_editor):
    """Attribute every stored answer (§9.17) from its ticket's log, BATCH answers at a time
    (one read of their tickets' state events, one UPDATE)."""
    SurveyResponse = apps.get_model("tickets", "SurveyResponse")
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    last = 0
    while True:
        batch = list(
            SurveyResponse.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "ticket_id", "submitted_at")[:BATCH]
        )
        if not batch:
            return
        last = batch[-1].pk
        logs = defaultdict(list)
        rows = (
            TicketEvent.objects.filter(
                ticket_id__in={r.ticket_id for r in batch}, type__in=STATE_TYPES
            )
            .order_by("ticket_id", "pk")
            .values_list("ticket_id", "pk", "at", "type", "data")
        )
        for ticket_id, *row in rows:
            logs[ticket_id].append(row)
        for r in batch:
            a = attribute_rating(log_events(logs[r.ticket_id]), r.submitted_at)
            r.attributed, r.agent_id, r.team_id, r.priority = (
                a.attributed,
                a.agent_id,
                a.team_id,
                a.priority,
            )
        SurveyResponse.objects.bulk_update(batch, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0007_queue_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="surveyresponse",
            name="agent_id",
            field=models.IntegerField(blank=True, help_text="Assignee at that solve.", null=True),
        ),
        migrations.AddField(
            model_name="surveyresponse",
            name="attributed",
            field=models.BooleanField(
                default=False, help_text="False: no solve at or before the answer (unattributed)."
            ),
        ),
        migrations.AddField(
            model_name="surveyresponse",
            name="priority",
            field=models.CharField(
                blank=True, default="", help_text="Priority at that solve.", max_length=10
            ),
        ),
        migrations.AddField(
            model_name="surveyresponse",
            name="team_id",
            field=models.IntegerField(blank=True, help_text="Team at that solve.", null=True),
        ),
        migrations.AddConstraint(
            model_name="surveyresponse",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(models.Q(("priority", ""), _negated=True), ("attributed", True)),
                    models.Q(
                        ("agent_id__isnull", True),
                        ("attributed", False),
                        ("priority", ""),
                        ("team_id__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="survey_attribution_complete",
                violation_error_message="An attributed answer has a priority; an unattributed one has no agent, team or priority.",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="surveyresponse",
            name="survey_current_submitted",
        ),
        migrations.AddIndex(
            model_name="surveyresponse",
            index=models.Index(
                condition=models.Q(("is_current", True)),
                fields=["submitted_at"],
                include=("positive", "nps", "attributed", "agent_id", "priority"),
                name="survey_current_submitted",
            ),
        ),
        migrations.AddIndex(
            model_name="surveyresponse",
            index=models.Index(
                condition=models.Q(("is_current", True)),
                fields=["team_id", "submitted_at"],
                include=("positive", "attributed", "agent_id", "priority"),
                name="survey_current_team_submitted",
            ),
        ),
    ]
