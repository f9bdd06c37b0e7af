"""Supervision cases opened from a water alarm (issue 17)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0009_field_labels"),
        ("water", "0002_samples_targets_alarms"),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsupervisioncase',
            name='water_alarm',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='water.wateralarm', verbose_name='water alarm'),
        ),
        migrations.AddField(
            model_name='supervisioncase',
            name='water_alarm',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='cases', to='water.wateralarm', verbose_name='water alarm'),
        ),
    ]
