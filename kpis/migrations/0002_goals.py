# Goals and targets (kpis/models/goals.py).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0001_initial"),
        ("staffing", "0002_development"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Goal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('metric', models.CharField(max_length=40)),
                ('hours', models.CharField(choices=[('business', 'Business hours'), ('calendar', 'Calendar hours')], default='business', max_length=10)),
                ('target', models.DecimalField(decimal_places=2, max_digits=12)),
                ('period_start', models.DateField()),
                ('period_end', models.DateField()),
                ('note', models.CharField(blank=True, max_length=200)),
                ('created_at', models.DateTimeField()),
                ('updated_at', models.DateTimeField()),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='staffing.team')),
            ],
            options={
                'ordering': ['-period_end', 'metric', 'pk'],
                'indexes': [models.Index(fields=['metric', 'period_end'], name='goal_metric_end')],
                'constraints': [models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='goal_period_ordered', violation_error_message='The period must end on or after its start.'), models.UniqueConstraint(fields=('metric', 'team', 'hours', 'period_start', 'period_end'), name='goal_unique_per_scope', nulls_distinct=False, violation_error_message='A goal for this metric, team and period exists.')],
            },
        ),
    ]
