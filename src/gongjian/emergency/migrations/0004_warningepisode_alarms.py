"""The link from an alarm to the warning whose obedience checks raised it moves to this app
(``WarningEpisode.alarms``): sources is the data the emergency list refers to and depends on no
later app, so its migrations no longer name this one.

sources 0003 and 0004 were edited to drop ``Alarm.episode``; a database migrated before that edit
still has the column (and the historical table its copy). Its links are kept: read here, the
columns dropped, and the links written into the new table. A database migrated after the edit has
no such column and nothing to move.
"""

from django.db import migrations, models

ALARMS, HISTORY, COLUMN = "sources_alarm", "sources_historicalalarm", "episode_id"


def _has_column(connection, table: str) -> bool:
    with connection.cursor() as cursor:
        return COLUMN in {c.name for c in connection.introspection.get_table_description(cursor, table)}


def _drop_column(schema_editor, table: str) -> None:
    """Drop ``episode_id`` from ``table``: its index first (SQLite refuses to drop an indexed
    column; PostgreSQL drops the column's foreign key with it)."""
    connection, quote = schema_editor.connection, schema_editor.quote_name
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for name, constraint in constraints.items():
        if constraint["columns"] == [COLUMN] and constraint["index"] and not constraint["unique"]:
            schema_editor.execute(f"DROP INDEX {quote(name)}")
    schema_editor.execute(f"ALTER TABLE {quote(table)} DROP COLUMN {quote(COLUMN)}")


def move_links(apps, schema_editor):
    connection = schema_editor.connection
    if not _has_column(connection, ALARMS):
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {COLUMN} FROM {ALARMS} WHERE {COLUMN} IS NOT NULL")
        links = cursor.fetchall()
    _drop_column(schema_editor, ALARMS)
    if _has_column(connection, HISTORY):
        _drop_column(schema_editor, HISTORY)
    through = apps.get_model("emergency", "WarningEpisode").alarms.through
    through.objects.bulk_create(through(alarm_id=alarm, warningepisode_id=episode) for alarm, episode in links)


class Migration(migrations.Migration):

    dependencies = [
        ('emergency', '0003_accountability_history'),
        ('sources', '0004_accountability_history'),
    ]

    operations = [
        migrations.AddField(
            model_name='warningepisode',
            name='alarms',
            field=models.ManyToManyField(blank=True, editable=False, related_name='warnings', to='sources.alarm', verbose_name='alarms'),
        ),
        migrations.RunPython(move_links, migrations.RunPython.noop),
    ]
