# Policy versions in force at a ticket's creation and solve; checklist and macro events.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0005_surveys"),
        ("policies", "0003_documents"),
    ]

    operations = [
        migrations.AlterField(
            model_name='ticketevent',
            name='type',
            field=models.CharField(choices=[('created', 'Created'), ('status_changed', 'Status changed'), ('public_reply', 'Public reply'), ('internal_note', 'Internal note'), ('assigned', 'Assigned'), ('priority_changed', 'Priority changed'), ('escalated', 'Escalated'), ('tags_changed', 'Tags changed'), ('category_changed', 'Category changed'), ('checklist_ticked', 'Checklist step ticked'), ('macro_applied', 'Macro applied')], max_length=20),
        ),
        migrations.CreateModel(
            name='TicketPolicyRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('moment', models.CharField(choices=[('created', 'At creation'), ('solved', 'At solve')], max_length=10)),
                ('at', models.DateTimeField()),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='policy_records', to='tickets.ticket')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ticket_records', to='policies.policyversion')),
            ],
            options={
                'ordering': ['at', 'pk'],
                'indexes': [models.Index(fields=['version', 'moment'], name='ticketpolicy_version_moment'), models.Index(fields=['ticket', 'moment'], name='ticketpolicy_ticket_moment')],
            },
        ),
    ]
