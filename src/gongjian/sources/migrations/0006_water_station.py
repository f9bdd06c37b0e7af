"""Automatic water stations: a device kind whose data go to a water section's samples (issue 17)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0005_field_labels"),
        ("water", "0002_samples_targets_alarms"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='monitoringdevice',
            name='device_target_matches_kind',
        ),
        migrations.AddField(
            model_name='historicalmonitoringdevice',
            name='section',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='water.watersection', verbose_name='water section'),
        ),
        migrations.AddField(
            model_name='monitoringdevice',
            name='section',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='devices', to='water.watersection', verbose_name='water section'),
        ),
        migrations.AlterField(
            model_name='historicalmonitoringdevice',
            name='kind',
            field=models.CharField(choices=[('air_station', 'air station'), ('stack', 'stack (CEMS)'), ('dust', 'site dust monitor'), ('meter', 'electricity meter'), ('water_station', 'automatic water station')], max_length=16, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='monitoringdevice',
            name='kind',
            field=models.CharField(choices=[('air_station', 'air station'), ('stack', 'stack (CEMS)'), ('dust', 'site dust monitor'), ('meter', 'electricity meter'), ('water_station', 'automatic water station')], max_length=16, verbose_name='kind'),
        ),
        migrations.AddConstraint(
            model_name='monitoringdevice',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'air_station'), ('meter__isnull', True), ('section__isnull', True), ('site__isnull', True), ('station__isnull', False), ('unit__isnull', True)), models.Q(('kind', 'stack'), ('meter__isnull', True), ('section__isnull', True), ('site__isnull', True), ('station__isnull', True), ('unit__isnull', False)), models.Q(('kind', 'dust'), ('meter__isnull', True), ('section__isnull', True), ('site__isnull', False), ('station__isnull', True), ('unit__isnull', True)), models.Q(('kind', 'meter'), ('meter__isnull', False), ('section__isnull', True), ('site__isnull', True), ('station__isnull', True), ('unit__isnull', True)), models.Q(('kind', 'water_station'), ('meter__isnull', True), ('section__isnull', False), ('site__isnull', True), ('station__isnull', True), ('unit__isnull', True)), _connector='OR'), name='device_target_matches_kind'),
        ),
    ]
