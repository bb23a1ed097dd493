# Staff development: training, certifications, onboarding, QA reviews, performance reviews.
import django.db.models.deletion
import django.core.validators
import staffing.models.training
from csops.roles import sync_groups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("staffing", "0001_initial"),
        ("tickets", "0006_policy_records"),
        ("policies", "0003_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OnboardingTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
                ('role', models.CharField(choices=[('Rep', 'Rep'), ('Manager', 'Manager'), ('Director', 'Director')], default='Rep', max_length=20)),
                ('description', models.TextField(blank=True)),
                ('active', models.BooleanField(default=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='QACriterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField()),
                ('name', models.CharField(max_length=120)),
                ('description', models.TextField(blank=True)),
                ('weight', models.DecimalField(decimal_places=2, default=1, max_digits=6)),
                ('max_score', models.PositiveSmallIntegerField(default=5)),
                ('critical', models.BooleanField(default=False, help_text="A score below 'fail below' fails the whole review.")),
                ('fail_below', models.PositiveSmallIntegerField(default=1)),
            ],
            options={
                'verbose_name': 'QA criterion',
                'verbose_name_plural': 'QA criteria',
                'ordering': ['version', 'order'],
            },
        ),
        migrations.CreateModel(
            name='Scorecard',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
                ('description', models.TextField(blank=True)),
                ('active', models.BooleanField(default=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Certification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
                ('issuing_body', models.CharField(blank=True, max_length=200)),
                ('validity_months', models.PositiveSmallIntegerField(blank=True, help_text='Empty: never expires.', null=True)),
                ('ce_hours_required', models.DecimalField(decimal_places=2, default=0, max_digits=6, validators=[django.core.validators.MinValueValidator(0)], verbose_name='CE hours per cycle')),
                ('ce_cycle_months', models.PositiveSmallIntegerField(blank=True, help_text='e.g. 36 for every 3 years.', null=True, verbose_name='CE cycle (months)')),
                ('recertification_rules', models.TextField(blank=True)),
                ('required_for_roles', models.JSONField(blank=True, default=list, help_text='Role names.')),
                ('active', models.BooleanField(default=True)),
                ('required_for_teams', models.ManyToManyField(blank=True, related_name='required_certifications', to='staffing.team')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Course',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, unique=True)),
                ('description', models.TextField(blank=True)),
                ('provider', models.CharField(blank=True, max_length=120)),
                ('hours', models.DecimalField(decimal_places=2, default=0, max_digits=6, validators=[django.core.validators.MinValueValidator(0)])),
                ('delivery', models.CharField(choices=[('classroom', 'Classroom'), ('online', 'Online'), ('shadowing', 'Shadowing')], default='online', max_length=10)),
                ('required_for_roles', models.JSONField(blank=True, default=list, help_text='Role names (Rep, Manager, Director) that must take it.')),
                ('recurrence_months', models.PositiveSmallIntegerField(blank=True, help_text='Due again this many months after completion (12 = yearly).', null=True)),
                ('due_within_days', models.PositiveSmallIntegerField(default=30, help_text='Due date of automatic assignments, in days after assignment.')),
                ('active', models.BooleanField(default=True)),
                ('required_for_teams', models.ManyToManyField(blank=True, related_name='required_courses', to='staffing.team')),
            ],
            options={
                'ordering': ['title'],
            },
        ),
        migrations.CreateModel(
            name='OnboardingPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start_date', models.DateField()),
                ('created_at', models.DateTimeField()),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('mentor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='onboarding_plans', to=settings.AUTH_USER_MODEL)),
                ('template', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='staffing.onboardingtemplate')),
            ],
            options={
                'ordering': ['-start_date', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='OnboardingPlanStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField()),
                ('kind', models.CharField(choices=[('course', 'Complete a course'), ('policy', 'Acknowledge a policy'), ('shadowing', 'Shadowing session with a mentor'), ('first_ticket', 'Solve a first ticket'), ('certification', 'Hold a certification')], max_length=14)),
                ('title', models.CharField(max_length=200)),
                ('due_date', models.DateField()),
                ('signed_off_at', models.DateTimeField(blank=True, null=True)),
                ('note', models.CharField(blank=True, max_length=300)),
                ('certification', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staffing.certification')),
                ('course', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staffing.course')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='staffing.onboardingplan')),
                ('policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='policies.policydocument')),
                ('signed_off_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='OnboardingStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField()),
                ('kind', models.CharField(choices=[('course', 'Complete a course'), ('policy', 'Acknowledge a policy'), ('shadowing', 'Shadowing session with a mentor'), ('first_ticket', 'Solve a first ticket'), ('certification', 'Hold a certification')], max_length=14)),
                ('title', models.CharField(max_length=200)),
                ('due_after_days', models.PositiveSmallIntegerField(default=7, help_text="Due this many days after the plan's start date.")),
                ('certification', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staffing.certification')),
                ('course', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staffing.course')),
                ('policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='policies.policydocument')),
                ('template', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='staffing.onboardingtemplate')),
            ],
            options={
                'ordering': ['order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='PerformanceReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_start', models.DateField()),
                ('period_end', models.DateField()),
                ('summary', models.TextField()),
                ('goals', models.TextField(blank=True, help_text='Goals for the next period.')),
                ('snapshot', models.JSONField(default=dict)),
                ('created_at', models.DateTimeField()),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                ('rep', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='performance_reviews', to=settings.AUTH_USER_MODEL)),
                ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='performance_reviews_given', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-period_end', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='QAReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ticket_number', models.PositiveIntegerField(help_text="The ticket's id, kept if it is deleted.")),
                ('ticket_subject', models.CharField(max_length=200)),
                ('state', models.CharField(choices=[('pending', 'To score'), ('submitted', 'Awaiting acknowledgment'), ('acknowledged', 'Acknowledged'), ('disputed', 'Disputed'), ('resolved', 'Dispute resolved')], default='pending', max_length=12)),
                ('created_at', models.DateTimeField()),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('raw_score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True)),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True)),
                ('failed_critical', models.BooleanField(default=False)),
                ('passed', models.BooleanField(null=True)),
                ('summary', models.TextField(blank=True)),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                ('dispute_comment', models.TextField(blank=True)),
                ('disputed_at', models.DateTimeField(blank=True, null=True)),
                ('resolution_comment', models.TextField(blank=True)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('rep', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='qa_reviews', to=settings.AUTH_USER_MODEL)),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='qa_reviews_given', to=settings.AUTH_USER_MODEL)),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='qa_reviews', to='staffing.team')),
                ('ticket', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tickets.ticket')),
            ],
            options={
                'verbose_name': 'QA review',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='QAScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.PositiveSmallIntegerField()),
                ('comment', models.TextField(blank=True)),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='staffing.qacriterion')),
                ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='staffing.qareview')),
            ],
            options={
                'verbose_name': 'QA score',
                'ordering': ['criterion__order'],
            },
        ),
        migrations.CreateModel(
            name='ScorecardVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('pass_percent', models.DecimalField(decimal_places=2, default=80, max_digits=5)),
                ('created_at', models.DateTimeField()),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('scorecard', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='staffing.scorecard')),
            ],
            options={
                'ordering': ['scorecard', '-number'],
            },
        ),
        migrations.AddField(
            model_name='qareview',
            name='scorecard_version',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='staffing.scorecardversion'),
        ),
        migrations.AddField(
            model_name='qacriterion',
            name='version',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='staffing.scorecardversion'),
        ),
        migrations.CreateModel(
            name='StaffCertification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('issued_on', models.DateField()),
                ('expires_on', models.DateField(blank=True, null=True)),
                ('credential_id', models.CharField(blank=True, max_length=120)),
                ('status', models.CharField(choices=[('active', 'Active'), ('superseded', 'Superseded by a renewal'), ('revoked', 'Revoked')], default='active', max_length=10)),
                ('recorded_at', models.DateTimeField()),
                ('certification', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='holders', to='staffing.certification')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['expires_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='CEEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('completed_on', models.DateField()),
                ('hours', models.DecimalField(decimal_places=2, max_digits=6)),
                ('description', models.CharField(max_length=200)),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('staff_certification', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ce_entries', to='staffing.staffcertification')),
            ],
            options={
                'verbose_name': 'CE entry',
                'verbose_name_plural': 'CE entries',
                'ordering': ['completed_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='TrainingRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('manual', 'Assigned to the person'), ('team', 'Assigned to their team'), ('required', 'Required for their role or team'), ('recurrence', 'Recurring course due again'), ('onboarding', 'Onboarding plan')], default='manual', max_length=12)),
                ('assigned_at', models.DateTimeField()),
                ('due_date', models.DateField(blank=True, null=True)),
                ('completed_on', models.DateField(blank=True, null=True)),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True)),
                ('hours', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True)),
                ('evidence_file', models.FileField(blank=True, storage=staffing.models.training.evidence_storage, upload_to='training-evidence/%Y/')),
                ('evidence_url', models.URLField(blank=True)),
                ('recorded_at', models.DateTimeField(blank=True, null=True)),
                ('assigned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('course', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records', to='staffing.course')),
                ('team', models.ForeignKey(blank=True, help_text='The team the course was assigned through, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='staffing.team')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='training_records', to=settings.AUTH_USER_MODEL)),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['due_date', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='certification',
            constraint=models.CheckConstraint(condition=models.Q(('ce_hours_required__gte', 0)), name='certification_ce_hours_not_negative', violation_error_message='CE hours cannot be negative.'),
        ),
        migrations.AddConstraint(
            model_name='course',
            constraint=models.CheckConstraint(condition=models.Q(('hours__gte', 0)), name='course_hours_not_negative', violation_error_message="A course's hours cannot be negative."),
        ),
        migrations.AddConstraint(
            model_name='onboardingplanstep',
            constraint=models.UniqueConstraint(fields=('plan', 'order'), name='onboarding_plan_step_order'),
        ),
        migrations.AddConstraint(
            model_name='onboardingstep',
            constraint=models.UniqueConstraint(fields=('template', 'order'), name='onboarding_step_order'),
        ),
        migrations.AddConstraint(
            model_name='onboardingplan',
            constraint=models.UniqueConstraint(fields=('user', 'template'), name='onboarding_plan_once'),
        ),
        migrations.AddConstraint(
            model_name='performancereview',
            constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='perf_review_period_order', violation_error_message='The period must end on or after its start.'),
        ),
        migrations.AddConstraint(
            model_name='qascore',
            constraint=models.UniqueConstraint(fields=('review', 'criterion'), name='qa_score_once'),
        ),
        migrations.AddConstraint(
            model_name='scorecardversion',
            constraint=models.UniqueConstraint(fields=('scorecard', 'number'), name='scorecard_version_once'),
        ),
        migrations.AddIndex(
            model_name='qareview',
            index=models.Index(fields=['rep', 'reviewed_at'], name='qa_review_rep_reviewed'),
        ),
        migrations.AddIndex(
            model_name='qareview',
            index=models.Index(fields=['team', 'reviewed_at'], name='qa_review_team_reviewed'),
        ),
        migrations.AddConstraint(
            model_name='qacriterion',
            constraint=models.UniqueConstraint(fields=('version', 'order'), name='qa_criterion_order'),
        ),
        migrations.AddConstraint(
            model_name='qacriterion',
            constraint=models.CheckConstraint(condition=models.Q(('weight__gt', 0)), name='qa_criterion_weight_positive', violation_error_message="A criterion's weight must be more than zero."),
        ),
        migrations.AddConstraint(
            model_name='qacriterion',
            constraint=models.CheckConstraint(condition=models.Q(('max_score__gt', 0)), name='qa_criterion_max_positive', violation_error_message="A criterion's maximum score must be more than zero."),
        ),
        migrations.AddIndex(
            model_name='staffcertification',
            index=models.Index(fields=['status', 'expires_on'], name='staffcert_status_expires'),
        ),
        migrations.AddConstraint(
            model_name='staffcertification',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('user', 'certification'), name='staffcert_one_active', violation_error_message='This person already holds an active certification of this kind.'),
        ),
        migrations.AddConstraint(
            model_name='staffcertification',
            constraint=models.CheckConstraint(condition=models.Q(('expires_on__isnull', True), ('expires_on__gt', models.F('issued_on')), _connector='OR'), name='staffcert_expires_after_issue', violation_error_message='The expiry date must be after the issue date.'),
        ),
        migrations.AddConstraint(
            model_name='ceentry',
            constraint=models.CheckConstraint(condition=models.Q(('hours__gt', 0)), name='ce_entry_hours_positive', violation_error_message='CE hours must be more than zero.'),
        ),
        migrations.AddIndex(
            model_name='trainingrecord',
            index=models.Index(fields=['user', 'completed_on'], name='training_user_completed'),
        ),
        migrations.AddConstraint(
            model_name='trainingrecord',
            constraint=models.UniqueConstraint(condition=models.Q(('completed_on__isnull', True)), fields=('user', 'course'), name='training_one_open_assignment', violation_error_message='This course is already assigned and not completed yet.'),
        ),
        migrations.AddConstraint(
            model_name='trainingrecord',
            constraint=models.CheckConstraint(condition=models.Q(('hours__isnull', True), ('hours__gte', 0), _connector='OR'), name='training_hours_not_negative', violation_error_message='Hours cannot be negative.'),
        ),
        migrations.AddConstraint(
            model_name='trainingrecord',
            constraint=models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', 0), ('score__lte', 100)), _connector='OR'), name='training_score_0_100', violation_error_message='A score is between 0 and 100.'),
        ),
        # Give the role groups (Admin: every permission) the new models' permissions.
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
