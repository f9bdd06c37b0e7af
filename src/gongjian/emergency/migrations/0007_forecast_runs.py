# Forecast runs, their days and the imported meteorological forecasts (issue 18)

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('air', '0003_field_labels'),
        ('emergency', '0006_field_labels'),
        ('regions', '0004_drop_plaintext_tokens'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ForecastRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('issued_at', models.DateTimeField(verbose_name='issued at')),
                ('model_version', models.CharField(blank=True, max_length=200, verbose_name='model version')),
                ('inputs_digest', models.CharField(blank=True, max_length=64, verbose_name='inputs digest (SHA-256)')),
                ('inputs', models.TextField(blank=True, verbose_name='inputs')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('published', 'published'), ('superseded', 'superseded')], default='draft', max_length=10, verbose_name='status')),
                ('reason', models.TextField(blank=True, verbose_name='reason for the adjustment')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published at')),
                ('adjusts', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='adjustments', to='emergency.forecastrun', verbose_name='adjusts')),
                ('forecaster', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='forecaster')),
                ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='forecast_runs', to='regions.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'forecast run',
                'verbose_name_plural': 'forecast runs',
                'ordering': ['region', '-issued_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ForecastValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('lead', models.PositiveSmallIntegerField(verbose_name='lead (days)')),
                ('so2', models.FloatField(blank=True, null=True, verbose_name='SO2')),
                ('no2', models.FloatField(blank=True, null=True, verbose_name='NO2')),
                ('co', models.FloatField(blank=True, null=True, verbose_name='CO')),
                ('o3_8h', models.FloatField(blank=True, null=True, verbose_name='O3-8h')),
                ('pm10', models.FloatField(blank=True, null=True, verbose_name='PM10')),
                ('pm25', models.FloatField(blank=True, null=True, verbose_name='PM2.5')),
                ('aqi', models.PositiveSmallIntegerField(validators=[django.core.validators.MaxValueValidator(500)], verbose_name='AQI')),
                ('aqi_low', models.PositiveSmallIntegerField(validators=[django.core.validators.MaxValueValidator(500)], verbose_name='AQI from')),
                ('aqi_high', models.PositiveSmallIntegerField(validators=[django.core.validators.MaxValueValidator(500)], verbose_name='AQI to')),
                ('primary', models.CharField(blank=True, max_length=40, verbose_name='primary pollutant')),
                ('level_low', models.PositiveSmallIntegerField(verbose_name='AQI level from')),
                ('level_high', models.PositiveSmallIntegerField(verbose_name='AQI level to')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='emergency.forecastrun', verbose_name='forecast run')),
                ('station', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='air.station', verbose_name='station')),
            ],
            options={
                'verbose_name': 'forecast day',
                'verbose_name_plural': 'forecast days',
                'ordering': ['run', 'station', 'day'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('station__isnull', True)), fields=('run', 'day'), name='forecast_value_region_unique'), models.UniqueConstraint(condition=models.Q(('station__isnull', False)), fields=('run', 'station', 'day'), name='forecast_value_station_unique')],
            },
        ),
        migrations.CreateModel(
            name='MetForecast',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('issued_at', models.DateTimeField(verbose_name='issued at')),
                ('valid_at', models.DateTimeField(verbose_name='valid at')),
                ('temperature', models.FloatField(blank=True, null=True, verbose_name='temperature (°C)')),
                ('humidity', models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='relative humidity (%)')),
                ('wind_speed', models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='wind speed (m/s)')),
                ('wind_direction', models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(360)], verbose_name='wind direction (degrees from north)')),
                ('boundary_layer', models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='boundary-layer height (m)')),
                ('rain', models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='precipitation (mm)')),
                ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='met_forecasts', to='regions.region', verbose_name='region')),
                ('station', models.ForeignKey(blank=True, help_text='Empty: the forecast for the whole region.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='air.station', verbose_name='station')),
            ],
            options={
                'verbose_name': 'meteorological forecast hour',
                'verbose_name_plural': 'meteorological forecast hours',
                'ordering': ['region', '-issued_at', 'valid_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('station__isnull', True)), fields=('region', 'issued_at', 'valid_at'), name='met_forecast_region_unique'), models.UniqueConstraint(condition=models.Q(('station__isnull', False)), fields=('station', 'issued_at', 'valid_at'), name='met_forecast_station_unique')],
            },
        ),
        migrations.CreateModel(
            name='EpisodeEvaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('computed_at', models.DateTimeField(verbose_name='computed at')),
                ('result', models.JSONField(default=dict, verbose_name='figures')),
                ('computed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='computed by')),
                ('episode', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='emergency.warningepisode', verbose_name='warning')),
            ],
            options={
                'verbose_name': 'episode evaluation',
                'verbose_name_plural': 'episode evaluations',
                'ordering': ['episode', '-computed_at'],
            },
        ),
        migrations.AddField(
            model_name='episodeevaluation',
            name='published',
            field=models.BooleanField(default=False, editable=False, verbose_name='published'),
        ),
        migrations.AddField(
            model_name='episodeevaluation',
            name='published_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published at'),
        ),
        migrations.AddField(
            model_name='episodeevaluation',
            name='published_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by'),
        ),
    ]
