"""The alarm's link to its warning moved from sources to emergency (emergency 0004): sources'
migrations name no emergency migration, and a database migrated before the move keeps its links."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from gongjian.emergency.models import WarningEpisode
from gongjian.sources.monitoring import Alarm

BJ = ZoneInfo("Asia/Shanghai")
BEFORE_THE_MOVE = [("emergency", "0003_accountability_history"), ("sources", "0004_accountability_history")]


def test_no_migration_of_sources_depends_on_emergency():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    sources = [node for node in graph.nodes if node[0] == "sources"]
    assert sources
    assert [(node, parent) for node in sources for parent in graph.node_map[node].parents
            if parent.key[0] == "emergency"] == []
    # nor through another app: emergency stands above sources
    assert not [n for n in graph.forwards_plan(max(sources)) if n[0] == "emergency"]


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_before_the_move_keeps_its_alarms_warnings(world, plants, standard):
    start = dt.datetime(2020, 12, 8, 12, tzinfo=BJ)
    episode = WarningEpisode.objects.create(region=world.regions["city"], level="orange", started_at=start,
                                            standard=standard)
    linked, other = (Alarm.objects.create(rule="stopped_line_drawing_power", region=world.regions["town_a1"],
                                          enterprise=plants["e1"].enterprise, subject=name, series="kw", start=start,
                                          end=start + dt.timedelta(hours=1), intervals=4, evidence="e",
                                          fingerprint=name) for name in ("1号线", "2号线"))
    try:
        _migrate(BEFORE_THE_MOVE)
        # what sources 0003/0004 made before they were edited: the column, its index and foreign key
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE sources_alarm ADD COLUMN episode_id bigint NULL REFERENCES "
                           f"{quote('emergency_warningepisode')} (id) DEFERRABLE INITIALLY DEFERRED")
            cursor.execute("CREATE INDEX sources_alarm_episode_id_old ON sources_alarm (episode_id)")
            cursor.execute("ALTER TABLE sources_historicalalarm ADD COLUMN episode_id bigint NULL")
            cursor.execute("CREATE INDEX sources_historicalalarm_episode_id_old ON sources_historicalalarm (episode_id)")
            cursor.execute("UPDATE sources_alarm SET episode_id = %s WHERE id = %s", [episode.pk, linked.pk])
        assert "episode_id" in _columns("sources_alarm")
    finally:
        _migrate(None)
    assert list(Alarm.objects.get(pk=linked.pk).warnings.all()) == [episode]
    assert not Alarm.objects.get(pk=other.pk).warnings.exists()
    assert "episode_id" not in _columns("sources_alarm") | _columns("sources_historicalalarm")
    episode.delete()  # nothing refers to the warning from the alarm's table any more
    assert Alarm.objects.count() == 2
