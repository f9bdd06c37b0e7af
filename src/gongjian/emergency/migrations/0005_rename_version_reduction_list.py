"""A measure's and a warning's reduction list are called what they are (``reduction_list``, was
``version`` and ``list_version``): the same English word in models, API and docs. Renames keep
the data."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('emergency', '0004_warningepisode_alarms'),
    ]

    operations = [
        migrations.RenameField(model_name='measure', old_name='version', new_name='reduction_list'),
        migrations.RenameField(model_name='historicalmeasure', old_name='version', new_name='reduction_list'),
        migrations.RenameField(model_name='warningepisode', old_name='list_version', new_name='reduction_list'),
        migrations.RenameField(model_name='historicalwarningepisode', old_name='list_version',
                               new_name='reduction_list'),
        migrations.AlterModelOptions(
            name='measure',
            options={'ordering': ['reduction_list', 'level', 'enterprise', 'site', 'pk'], 'verbose_name': 'measure',
                     'verbose_name_plural': 'measures'},
        ),
    ]
