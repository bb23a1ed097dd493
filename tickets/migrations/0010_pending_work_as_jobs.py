"""Unsent survey invitations (last 7 days) and unfinished incident updates become job rows:
from now on a job row, not a broker message, is what makes them happen (csops.jobs)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Job = apps.get_model("csops", "Job")
    SurveyInvitation = apps.get_model("tickets", "SurveyInvitation")
    IncidentUpdate = apps.get_model("tickets", "IncidentUpdate")
    now = timezone.now()
    delay = timedelta(seconds=settings.CSAT_SURVEY_DELAY_SECONDS)
    jobs = [
        Job(
            kind="tickets.send_survey",
            key=f"survey-mail:{pk}",
            payload={"invitation": pk},
            due_at=created + delay,
            created_at=now,
        )
        for pk, created in SurveyInvitation.objects.filter(
            sent_at__isnull=True, created_at__gte=now - timedelta(days=7)
        ).values_list("pk", "created_at")
    ]
    jobs += [
        Job(
            kind="tickets.deliver_incident_update",
            key=f"incident-update:{pk}",
            payload={"update": pk},
            due_at=now,
            created_at=now,
        )
        for pk in IncidentUpdate.objects.filter(finished_at__isnull=True).values_list(
            "pk", flat=True
        )
    ]
    Job.objects.bulk_create(jobs, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("csops", "0005_jobs"),
        ("tickets", "0009_incident_changes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
