"""Sections' responsible units and yearly targets, the samples store and its corrections, the stored
monthly results, the target schedules and the water alarms (issue 17)."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("water", "0001_initial"),
        ("regions", "0004_drop_plaintext_tokens"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='watersection',
            name='responsible_units',
            field=models.ManyToManyField(blank=True, help_text='The units the plans make answerable for the section.', related_name='water_sections', to='regions.organisation', verbose_name='responsible units'),
        ),
        migrations.CreateModel(
            name='HistoricalSectionTarget',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('target_class', models.PositiveSmallIntegerField(choices=[(1, 'Ⅰ'), (2, 'Ⅱ'), (3, 'Ⅲ'), (4, 'Ⅳ'), (5, 'Ⅴ')], help_text='The GB 3838-2002 class the section must reach.', verbose_name='target class')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('section', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='water.watersection', verbose_name='water section')),
            ],
            options={
                'verbose_name': 'historical section target',
                'verbose_name_plural': 'historical section targets',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalWaterAlarm',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('section_below_target', 'section below its target class'), ('station_qc', 'automatic station failing quality control'), ('outfall_over_limit', 'outfall above its limit')], max_length=24, verbose_name='kind')),
                ('subject', models.CharField(max_length=200, verbose_name='subject')),
                ('item', models.CharField(blank=True, max_length=24, verbose_name='item')),
                ('start', models.DateTimeField(verbose_name='from')),
                ('end', models.DateTimeField(verbose_name='to')),
                ('value', models.FloatField(blank=True, null=True, verbose_name='value')),
                ('threshold', models.FloatField(blank=True, null=True, verbose_name='threshold')),
                ('evidence', models.TextField(verbose_name='evidence')),
                ('status', models.CharField(choices=[('open', 'open'), ('case_opened', 'supervision case opened'), ('dismissed', 'dismissed'), ('closed', 'closed (target met again)')], default='open', max_length=12, verbose_name='status')),
                ('fingerprint', models.CharField(db_index=True, max_length=300, verbose_name='fingerprint')),
                ('found', models.DateTimeField(verbose_name='found')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regions.region', verbose_name='region')),
                ('section', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='water.watersection', verbose_name='water section')),
            ],
            options={
                'verbose_name': 'historical water alarm',
                'verbose_name_plural': 'historical water alarms',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalWaterTargetSchedule',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('share_iii_or_better_min', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='share at class III or better, at least (%)')),
                ('share_worse_than_v_max', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='share worse than class V, at most (%)')),
                ('source', models.CharField(blank=True, help_text='The plan and clause.', max_length=200, verbose_name='source')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regions.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'historical water target schedule',
                'verbose_name_plural': 'historical water target schedules',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='SampleCorrection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item', models.CharField(max_length=24, verbose_name='item')),
                ('time', models.DateTimeField(verbose_name='sampled (period start)')),
                ('old_value', models.FloatField(null=True, verbose_name='original value')),
                ('new_value', models.FloatField(null=True, verbose_name='new value')),
                ('old_flag', models.CharField(max_length=8, verbose_name='original flag')),
                ('new_flag', models.CharField(max_length=8, verbose_name='new flag')),
                ('reason', models.CharField(max_length=300, verbose_name='reason')),
                ('changed_at', models.DateTimeField(verbose_name='changed at')),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
                ('section', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='water.watersection', verbose_name='water section')),
            ],
            options={
                'verbose_name': 'sample correction',
                'verbose_name_plural': 'sample corrections',
                'ordering': ['-changed_at'],
            },
        ),
        migrations.CreateModel(
            name='SectionMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The first day of the month.', verbose_name='month')),
                ('water_class', models.PositiveSmallIntegerField(choices=[(1, 'Ⅰ'), (2, 'Ⅱ'), (3, 'Ⅲ'), (4, 'Ⅳ'), (5, 'Ⅴ'), (6, '劣Ⅴ')], null=True, verbose_name='class')),
                ('deciding', models.JSONField(blank=True, default=list, verbose_name='deciding items')),
                ('items_above', models.JSONField(blank=True, default=dict, help_text="Item -> multiple of its exceedance of the target class's limit.", verbose_name='items above the target class')),
                ('means', models.JSONField(blank=True, default=dict, verbose_name='monthly means')),
                ('target_class', models.PositiveSmallIntegerField(choices=[(1, 'Ⅰ'), (2, 'Ⅱ'), (3, 'Ⅲ'), (4, 'Ⅳ'), (5, 'Ⅴ')], null=True, verbose_name='target class')),
                ('meets_target', models.BooleanField(null=True, verbose_name='meets its target')),
                ('samples', models.PositiveIntegerField(default=0, verbose_name='samples used')),
                ('computed_at', models.DateTimeField(verbose_name='computed at')),
                ('inputs_version', models.CharField(max_length=64, verbose_name='inputs version')),
                ('section', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='months', to='water.watersection', verbose_name='water section')),
            ],
            options={
                'verbose_name': 'section month',
                'verbose_name_plural': 'section months',
                'ordering': ['section__code', 'month'],
                'constraints': [models.UniqueConstraint(fields=('section', 'month'), name='water_month_unique')],
            },
        ),
        migrations.CreateModel(
            name='SectionTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('target_class', models.PositiveSmallIntegerField(choices=[(1, 'Ⅰ'), (2, 'Ⅱ'), (3, 'Ⅲ'), (4, 'Ⅳ'), (5, 'Ⅴ')], help_text='The GB 3838-2002 class the section must reach.', verbose_name='target class')),
                ('section', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='water.watersection', verbose_name='water section')),
            ],
            options={
                'verbose_name': 'section target',
                'verbose_name_plural': 'section targets',
                'ordering': ['section__code', '-year'],
                'constraints': [models.UniqueConstraint(fields=('section', 'year'), name='water_target_unique')],
            },
        ),
        migrations.CreateModel(
            name='WaterAlarm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('section_below_target', 'section below its target class'), ('station_qc', 'automatic station failing quality control'), ('outfall_over_limit', 'outfall above its limit')], max_length=24, verbose_name='kind')),
                ('subject', models.CharField(max_length=200, verbose_name='subject')),
                ('item', models.CharField(blank=True, max_length=24, verbose_name='item')),
                ('start', models.DateTimeField(verbose_name='from')),
                ('end', models.DateTimeField(verbose_name='to')),
                ('value', models.FloatField(blank=True, null=True, verbose_name='value')),
                ('threshold', models.FloatField(blank=True, null=True, verbose_name='threshold')),
                ('evidence', models.TextField(verbose_name='evidence')),
                ('status', models.CharField(choices=[('open', 'open'), ('case_opened', 'supervision case opened'), ('dismissed', 'dismissed'), ('closed', 'closed (target met again)')], default='open', max_length=12, verbose_name='status')),
                ('fingerprint', models.CharField(max_length=300, unique=True, verbose_name='fingerprint')),
                ('found', models.DateTimeField(verbose_name='found')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='water_alarms', to='regions.region', verbose_name='region')),
                ('section', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='alarms', to='water.watersection', verbose_name='water section')),
            ],
            options={
                'verbose_name': 'water alarm',
                'verbose_name_plural': 'water alarms',
                'ordering': ['-start', 'kind'],
                'indexes': [models.Index(fields=['status', 'start'], name='water_alarm_status_start')],
            },
        ),
        migrations.CreateModel(
            name='WaterSample',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item', models.CharField(max_length=24, verbose_name='item')),
                ('time', models.DateTimeField(verbose_name='sampled (period start)')),
                ('value', models.FloatField(null=True, verbose_name='value')),
                ('below_limit', models.BooleanField(default=False, help_text='The value then holds the detection limit.', verbose_name='below the detection limit')),
                ('flag', models.CharField(choices=[('valid', 'valid'), ('suspect', 'suspect'), ('invalid', 'invalid')], default='valid', max_length=8, verbose_name='flag')),
                ('source', models.CharField(choices=[('file', 'manual results file'), ('gateway', 'automatic station'), ('demo', 'demo'), ('api', 'API')], default='file', max_length=8, verbose_name='source')),
                ('section', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='samples', to='water.watersection', verbose_name='water section')),
            ],
            options={
                'verbose_name': 'water sample',
                'verbose_name_plural': 'water samples',
                'constraints': [models.UniqueConstraint(fields=('section', 'item', 'time'), name='water_sample_unique')],
            },
        ),
        migrations.CreateModel(
            name='WaterTargetSchedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('share_iii_or_better_min', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='share at class III or better, at least (%)')),
                ('share_worse_than_v_max', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='share worse than class V, at most (%)')),
                ('source', models.CharField(blank=True, help_text='The plan and clause.', max_length=200, verbose_name='source')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='water_schedules', to='regions.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'water target schedule',
                'verbose_name_plural': 'water target schedules',
                'ordering': ['region__path', 'year'],
                'constraints': [models.UniqueConstraint(fields=('region', 'year'), name='water_schedule_unique')],
            },
        ),
    ]
