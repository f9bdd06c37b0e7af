"""The demo runs as of its own moment: `gongjian demo`/`setup` record it beside the database, and the
settings read it back (gongjian.clock.configured_as_of; the page banner: tests/core/test_freshness.py)."""

from gongjian import clock
from gongjian.demo import AS_OF
from gongjian.site.management.commands.demo import record_demo_clock


def test_the_demo_records_its_moment_and_can_be_turned_off(tmp_path, settings):
    settings.GONGJIAN_AS_OF_FILE = tmp_path / "demo-as-of"
    said = record_demo_clock(True)
    assert "2020-12-31 23:30" in said and "GONGJIAN_AS_OF=off" in said
    moment = clock.configured_as_of(None, settings.GONGJIAN_AS_OF_FILE)
    assert clock.parse_as_of(moment) == clock.attach(AS_OF)
    assert "real time" in record_demo_clock(False)
    assert clock.configured_as_of(None, settings.GONGJIAN_AS_OF_FILE) is None
