"""Follow-up links (issue 14): a follow-up ticket opened by a customer's message to a closed
ticket is linked to it, so both workspaces show the other. Existing follow-ups (their
``created`` event carries ``follow_up_of``) get their link here."""

from django.db import migrations, models


def link_existing_follow_ups(apps, schema_editor):
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    TicketLink = apps.get_model("tickets", "TicketLink")
    Ticket = apps.get_model("tickets", "Ticket")
    rows = TicketEvent.objects.filter(type="created", data__has_key="follow_up_of").values_list(
        "ticket_id", "data", "at"
    )
    found = [(pk, data["follow_up_of"], at) for pk, data, at in rows.iterator()]
    existing = set(
        Ticket.objects.filter(pk__in={t for _, t, _ in found}).values_list("pk", flat=True)
    )
    TicketLink.objects.bulk_create(
        [
            TicketLink(source_id=pk, target_id=target, kind="follow_up", created_at=at)
            for pk, target, at in found
            if target in existing and target != pk
        ],
        ignore_conflicts=True,  # a pair already linked by hand keeps its link
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0028_search_by_assignee"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ticketlink",
            name="kind",
            field=models.CharField(
                choices=[
                    ("related", "Related to"),
                    ("duplicate", "Duplicate of"),
                    ("parent", "Parent of"),
                    ("follow_up", "Follow-up of"),
                ],
                max_length=10,
            ),
        ),
        migrations.RunPython(link_existing_follow_ups, migrations.RunPython.noop),
    ]
