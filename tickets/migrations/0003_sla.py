# Ticket SLA: versions recorded at creation, next due time, instances, breaches, alerts.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0002_search_index"),
        ("policies", "0002_calendars_sla"),
    ]

    operations = [
        migrations.AddField(
            model_name='ticket',
            name='calendar_version',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='policies.calendarversion'),
        ),
        migrations.AddField(
            model_name='ticket',
            name='next_sla_due_at',
            field=models.DateTimeField(blank=True, db_index=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='ticket',
            name='sla_policy_version',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='policies.slapolicyversion'),
        ),
        migrations.CreateModel(
            name='SlaAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('metric', models.CharField(choices=[('first_reply', 'First reply'), ('next_reply', 'Next reply'), ('periodic_update', 'Periodic update'), ('requester_wait', 'Requester wait'), ('agent_work', 'Agent work')], max_length=20)),
                ('index', models.PositiveSmallIntegerField()),
                ('kind', models.CharField(choices=[('at_risk', 'At risk'), ('breach', 'Breached')], max_length=10)),
                ('at', models.DateTimeField()),
                ('recorded_at', models.DateTimeField()),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tickets.ticket')),
            ],
            options={
                'verbose_name': 'SLA alert',
                'ordering': ['-recorded_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('ticket', 'metric', 'index', 'kind'), name='sla_alert_unique')],
            },
        ),
        migrations.CreateModel(
            name='TicketSlaBreach',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('metric', models.CharField(choices=[('first_reply', 'First reply'), ('next_reply', 'Next reply'), ('periodic_update', 'Periodic update'), ('requester_wait', 'Requester wait'), ('agent_work', 'Agent work')], max_length=20)),
                ('index', models.PositiveSmallIntegerField()),
                ('breached_at', models.DateTimeField()),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sla_breaches', to='tickets.ticket')),
            ],
            options={
                'verbose_name': 'ticket SLA breach',
                'verbose_name_plural': 'ticket SLA breaches',
                'ordering': ['breached_at', 'pk'],
                'indexes': [models.Index(fields=['breached_at'], name='sla_breach_at')],
                'constraints': [models.UniqueConstraint(fields=('ticket', 'metric', 'index'), name='ticket_sla_breach_unique')],
            },
        ),
        migrations.CreateModel(
            name='TicketSlaInstance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('metric', models.CharField(choices=[('first_reply', 'First reply'), ('next_reply', 'Next reply'), ('periodic_update', 'Periodic update'), ('requester_wait', 'Requester wait'), ('agent_work', 'Agent work')], max_length=20)),
                ('index', models.PositiveSmallIntegerField()),
                ('activated_at', models.DateTimeField()),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('end_reason', models.CharField(blank=True, max_length=12)),
                ('target_minutes', models.PositiveIntegerField()),
                ('business', models.BooleanField()),
                ('elapsed_seconds', models.PositiveIntegerField()),
                ('due_at', models.DateTimeField(blank=True, null=True)),
                ('breached_at', models.DateTimeField(blank=True, null=True)),
                ('at_risk_at', models.DateTimeField(blank=True, null=True)),
                ('outcome', models.CharField(max_length=12)),
                ('state', models.CharField(max_length=10)),
                ('trail', models.JSONField(default=list)),
                ('evaluated_at', models.DateTimeField()),
                ('calendar_version', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='policies.calendarversion')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sla', to='tickets.ticket')),
            ],
            options={
                'verbose_name': 'ticket SLA instance',
                'ordering': ['ticket', 'activated_at', 'metric', 'index'],
                'indexes': [models.Index(condition=models.Q(('due_at__isnull', False), ('ended_at__isnull', True)), fields=['due_at'], name='sla_instance_open_due'), models.Index(condition=models.Q(('at_risk_at__isnull', False), ('ended_at__isnull', True)), fields=['at_risk_at'], name='sla_instance_open_at_risk')],
                'constraints': [models.UniqueConstraint(fields=('ticket', 'metric', 'index'), name='ticket_sla_instance_unique')],
            },
        ),
    ]
