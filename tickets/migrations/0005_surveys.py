# CSAT surveys (tickets/models/surveys.py).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0004_escalations_incidents"),
    ]

    operations = [
        migrations.CreateModel(
            name='SurveyInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254)),
                ('scale', models.CharField(choices=[('five', '1–5'), ('good_bad', 'Good / bad')], default='five', max_length=10)),
                ('ask_nps', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField()),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('solve_event', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='survey_invitation', to='tickets.ticketevent')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='survey_invitations', to='tickets.ticket')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SurveyResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scale', models.CharField(choices=[('five', '1–5'), ('good_bad', 'Good / bad')], max_length=10)),
                ('rating', models.PositiveSmallIntegerField()),
                ('positive', models.BooleanField()),
                ('nps', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('comment', models.TextField(blank=True)),
                ('submitted_at', models.DateTimeField()),
                ('is_current', models.BooleanField(default=True)),
                ('invitation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='tickets.surveyinvitation')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='survey_responses', to='tickets.ticket')),
            ],
            options={
                'ordering': ['-submitted_at', '-pk'],
            },
        ),
        migrations.AddIndex(
            model_name='surveyinvitation',
            index=models.Index(fields=['ticket', '-created_at'], name='survey_inv_ticket_created'),
        ),
        migrations.AddIndex(
            model_name='surveyresponse',
            index=models.Index(condition=models.Q(('is_current', True)), fields=['submitted_at'], name='survey_current_submitted'),
        ),
        migrations.AddConstraint(
            model_name='surveyresponse',
            constraint=models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('ticket',), name='survey_one_current_per_ticket', violation_error_message='A ticket has one current survey answer.'),
        ),
        migrations.AddConstraint(
            model_name='surveyresponse',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('rating__gte', 1), ('rating__lte', 5), ('scale', 'five')), models.Q(('rating__in', [0, 1]), ('scale', 'good_bad')), _connector='OR'), name='survey_rating_in_scale', violation_error_message="The rating is outside the survey's scale."),
        ),
        migrations.AddConstraint(
            model_name='surveyresponse',
            constraint=models.CheckConstraint(condition=models.Q(('nps__isnull', True), models.Q(('nps__gte', 0), ('nps__lte', 10)), _connector='OR'), name='survey_nps_0_10', violation_error_message='NPS answers are 0 to 10.'),
        ),
    ]
