# QA disputes resolved by amending the scores: the review's resolution, and the amendment
# that keeps the scoring it replaced.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from csops.roles import sync_groups


def mark_upheld(apps, schema_editor) -> None:
    # Disputes resolved before amendments existed were resolved with a comment: upheld.
    apps.get_model("staffing", "QAReview").objects.filter(state="resolved").update(
        resolution="upheld"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('staffing', '0002_development'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='qareview',
            name='resolution',
            field=models.CharField(blank=True, choices=[('upheld', 'Score upheld'), ('amended', 'Score amended')], max_length=8),
        ),
        migrations.CreateModel(
            name='QAAmendment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amended_at', models.DateTimeField()),
                ('comment', models.TextField()),
                ('before', models.JSONField()),
                ('after', models.JSONField()),
                ('amended_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('review', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='amendment', to='staffing.qareview')),
            ],
            options={
                'verbose_name': 'QA amendment',
            },
        ),
        migrations.RunPython(mark_upheld, migrations.RunPython.noop),
        # Give the role groups (Admin: every permission) the new model's permissions.
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
