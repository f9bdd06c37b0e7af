"""How old a page's data are (gongjian.core.freshness), the demo clock recorded beside the database
(gongjian.clock.configured_as_of) and the banner every page shows while the clock is held."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.utils import translation

from gongjian import clock
from gongjian.core.freshness import freshness, parse_duration, stale_after

NOW = "2020-12-31T23:30"


@pytest.mark.parametrize(("text", "expected"), [
    ("90m", dt.timedelta(minutes=90)), ("2h", dt.timedelta(hours=2)), (" 3d ", dt.timedelta(days=3)),
])
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["2", "2 hours", "0h", "-1h", "1.5h", ""])
def test_a_bad_duration_names_itself(text):
    with pytest.raises(ValueError, match=repr(text)):
        parse_duration(text)


def test_thresholds_come_from_the_settings(settings):
    settings.GONGJIAN_STALE_AFTER = {"air.hourly": "3h", "broken": "soon"}
    assert stale_after("air.hourly") == dt.timedelta(hours=3)
    with pytest.raises(ImproperlyConfigured, match="'broken'"):
        stale_after("broken")
    with pytest.raises(ImproperlyConfigured, match="no threshold for 'water.sample'"):
        stale_after("water.sample")


def test_age_and_staleness_against_the_clock(settings):
    settings.GONGJIAN_STALE_AFTER = {"air.hourly": "2h", "forecast": "48h"}
    with clock.as_of(NOW):
        recent = freshness("air.hourly", clock.parse_as_of("2020-12-31T23:00"))
        edge = freshness("air.hourly", clock.parse_as_of("2020-12-31T21:30"))
        old = freshness("air.hourly", clock.parse_as_of("2020-12-31T21:00"))
        later = freshness("air.hourly", clock.parse_as_of("2021-01-01T00:00"))
        forecast = freshness("forecast", dt.date(2020, 12, 8))
    assert (recent.age, recent.stale) == (dt.timedelta(minutes=30), False)
    assert not edge.stale and old.stale  # over the threshold, not at it
    assert later.age == dt.timedelta(0) and not later.stale  # stamped after now: new, not negative
    assert forecast.stale and forecast.moment == clock.day_start(dt.date(2020, 12, 8))
    assert freshness("air.hourly", None).stale  # no data at all is stale too


def _render(source: str, **context) -> str:
    return Template("{% load freshness %}" + source).render(Context(context)).replace("\xa0", " ")  # timesince's nbsp


def test_the_line_in_chinese_and_the_banner_when_stale(settings):
    settings.GONGJIAN_STALE_AFTER = {"air.hourly": "2h"}
    with clock.as_of(NOW), translation.override("zh-hans"):
        fresh = _render('{% freshness "air.hourly" t %}', t=clock.parse_as_of("2020-12-31T23:00"))
        stale = _render('{% freshness "air.hourly" t %}', t=clock.parse_as_of("2020-12-31T18:00"))
        row = _render('{% freshness_short "air.hourly" t %}', t=clock.parse_as_of("2020-12-31T18:00"))
        none = _render('{% freshness "air.hourly" t %}', t=None)
    assert "数据截至 2020-12-31 23:00，30 分钟前" in fresh and 'class="freshness"' in fresh and "过时" not in fresh
    assert 'class="freshness stale"' in stale and 'role="alert"' in stale
    assert "数据截至 2020-12-31 18:00，5 小时前" in stale and "超过 2 小时 没有更新的数据" in stale
    assert 'class="freshness stale"' in row and "已过时 · 5 小时前" in row
    assert "尚无数据" in none and 'class="freshness stale"' in none


def test_the_recorded_demo_moment_and_the_environment(tmp_path):
    recorded = tmp_path / clock.AS_OF_FILE
    assert clock.configured_as_of(None, recorded) is None  # nothing recorded: real time
    clock.record_as_of(recorded, clock.attach(dt.datetime(2020, 12, 31, 23, 30)))
    assert recorded.read_text() == "2020-12-31T23:30+08:00\n"
    assert clock.configured_as_of(None, recorded) == "2020-12-31T23:30+08:00"
    assert clock.configured_as_of("", recorded) == "2020-12-31T23:30+08:00"
    assert clock.configured_as_of("2021-03-01T08:00", recorded) == "2021-03-01T08:00"  # the variable wins
    assert clock.configured_as_of("off", recorded) is None  # ... and can say real time
    clock.record_as_of(recorded, None)
    assert not recorded.exists() and clock.configured_as_of(None, recorded) is None


BANNER = "演示时钟：系统按 2020-12-31 23:30 运行（不是当前时间）"


def test_every_page_shows_the_demo_clock_while_it_is_held(client, settings):
    settings.GONGJIAN_AS_OF = None
    assert BANNER not in client.get("/login/").content.decode()
    settings.GONGJIAN_AS_OF = "2020-12-31T23:30"
    page = client.get("/login/").content.decode()
    assert BANNER in page and 'class="demo-clock"' in page
    settings.GONGJIAN_AS_OF = None
    with clock.as_of(NOW):  # a replay inside the process is a held clock too
        assert BANNER in client.get("/login/").content.decode()
