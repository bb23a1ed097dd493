# Business calendars (versions, organisation settings) and SLA policies (versions, targets).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0001_initial"),
        ("staffing", "0001_initial"),
        ("tickets", "0002_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BusinessCalendar',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, unique=True)),
                ('created_at', models.DateTimeField()),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='SlaPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True)),
                ('position', models.PositiveIntegerField(default=100)),
                ('active', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'SLA policy',
                'verbose_name_plural': 'SLA policies',
                'ordering': ['position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='SlaPolicyVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('at_risk_fraction', models.DecimalField(decimal_places=3, default=0.25, max_digits=4)),
                ('teams', models.JSONField(blank=True, default=list)),
                ('channels', models.JSONField(blank=True, default=list)),
                ('priorities', models.JSONField(blank=True, default=list)),
                ('organizations', models.JSONField(blank=True, default=list)),
                ('categories', models.JSONField(blank=True, default=list)),
                ('effective_from', models.DateTimeField()),
                ('created_at', models.DateTimeField()),
                ('calendar', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='policies.businesscalendar')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('policy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='policies.slapolicy')),
            ],
            options={
                'verbose_name': 'SLA policy version',
                'ordering': ['policy', '-number'],
            },
        ),
        migrations.CreateModel(
            name='SlaPolicyTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('priority', models.CharField(choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High'), ('urgent', 'Urgent')], max_length=10)),
                ('metric', models.CharField(choices=[('first_reply', 'First reply'), ('next_reply', 'Next reply'), ('periodic_update', 'Periodic update'), ('requester_wait', 'Requester wait'), ('agent_work', 'Agent work')], max_length=20)),
                ('minutes', models.PositiveIntegerField()),
                ('business', models.BooleanField(default=True, help_text='Business hours (else calendar)')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='policies.slapolicyversion')),
            ],
            options={
                'ordering': ['version', 'priority', 'metric'],
            },
        ),
        migrations.CreateModel(
            name='CalendarVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('time_zone', models.CharField(max_length=64)),
                ('weekly', models.JSONField()),
                ('holidays', models.JSONField(blank=True, default=dict)),
                ('effective_from', models.DateTimeField()),
                ('created_at', models.DateTimeField()),
                ('calendar', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='policies.businesscalendar')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['calendar', '-number'],
                'indexes': [models.Index(fields=['calendar', '-effective_from'], name='calendar_version_in_force')],
                'constraints': [models.UniqueConstraint(fields=('calendar', 'number'), name='calendar_version_unique'), models.CheckConstraint(condition=models.Q(('effective_from__gte', models.F('created_at'))), name='calendar_version_not_backdated', violation_error_message='A calendar version cannot take effect before it is saved.')],
            },
        ),
        migrations.CreateModel(
            name='OrganizationSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reporting_time_zone', models.CharField(default='UTC', max_length=64)),
                ('updated_at', models.DateTimeField(blank=True, null=True)),
                ('default_calendar', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='policies.businesscalendar')),
            ],
            options={
                'verbose_name_plural': 'organization settings',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='organization_settings_single')],
            },
        ),
        migrations.AddIndex(
            model_name='slapolicyversion',
            index=models.Index(fields=['policy', '-effective_from'], name='sla_policy_version_in_force'),
        ),
        migrations.AddConstraint(
            model_name='slapolicyversion',
            constraint=models.UniqueConstraint(fields=('policy', 'number'), name='sla_policy_version_unique'),
        ),
        migrations.AddConstraint(
            model_name='slapolicyversion',
            constraint=models.CheckConstraint(condition=models.Q(('at_risk_fraction__gte', 0), ('at_risk_fraction__lte', 1)), name='sla_policy_at_risk_fraction_range', violation_error_message='The at-risk fraction must lie between 0 and 1.'),
        ),
        migrations.AddConstraint(
            model_name='slapolicyversion',
            constraint=models.CheckConstraint(condition=models.Q(('effective_from__gte', models.F('created_at'))), name='sla_policy_version_not_backdated', violation_error_message='A policy version cannot take effect before it is saved.'),
        ),
        migrations.AddConstraint(
            model_name='slapolicytarget',
            constraint=models.UniqueConstraint(fields=('version', 'priority', 'metric'), name='sla_target_unique'),
        ),
        migrations.AddConstraint(
            model_name='slapolicytarget',
            constraint=models.CheckConstraint(condition=models.Q(('minutes__gte', 1)), name='sla_target_minutes_positive', violation_error_message='A target must be at least 1 minute.'),
        ),
    ]
