import datetime as dt

import pytest

from gongjian import clock


def test_now_is_aware_beijing_time():
    now = clock.now()
    assert now.tzinfo is not None and now.utcoffset() == dt.timedelta(hours=8)


def test_as_of_overrides_and_nests():
    with clock.as_of("2020-12-15T09:00"):
        assert clock.now().isoformat() == "2020-12-15T09:00:00+08:00"
        with clock.as_of(dt.date(2017, 1, 1)):
            assert clock.today() == dt.date(2017, 1, 1)
        assert clock.today() == dt.date(2020, 12, 15)
    assert clock.today() != dt.date(2020, 12, 15) or dt.date.today() == dt.date(2020, 12, 15)


def test_setting_drives_the_whole_process(settings):
    settings.GONGJIAN_AS_OF = "2020-06-30"
    assert clock.today() == dt.date(2020, 6, 30)


def test_bad_as_of_names_the_value():
    with pytest.raises(ValueError, match="'30/06/2020'"):
        clock.parse_as_of("30/06/2020")


def test_the_beijing_day_of_a_moment():
    utc_evening = dt.datetime(2026, 3, 31, 19, 0, tzinfo=dt.UTC)  # 03:00 on 1 April in Beijing
    assert clock.day_of(utc_evening) == dt.date(2026, 4, 1)
    assert clock.local(utc_evening).isoformat() == "2026-04-01T03:00:00+08:00"
    assert clock.naive_local(utc_evening) == dt.datetime(2026, 4, 1, 3)
    with pytest.raises(ValueError, match="no time zone"):
        clock.local(dt.datetime(2026, 4, 1, 3))


def test_day_bounds_are_beijing_midnights():
    start, end = clock.day_bounds(dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert start == dt.datetime(2026, 3, 31, 16, tzinfo=dt.UTC) and end == dt.datetime(2026, 4, 30, 16, tzinfo=dt.UTC)
    assert clock.day_bounds(dt.date(2026, 4, 1)) == (clock.day_start(dt.date(2026, 4, 1)), clock.day_start(dt.date(2026, 4, 2)))
    assert clock.zone().key == "Asia/Shanghai"


def test_an_as_of_with_an_offset_gives_the_beijing_day():
    with clock.as_of("2026-03-05T01:00+00:00"):  # 09:00 in Beijing
        assert clock.today() == dt.date(2026, 3, 5)
    with clock.as_of("2026-03-04T20:00-05:00"):  # 09:00 on 5 March in Beijing
        assert clock.today() == dt.date(2026, 3, 5)


def test_attach_reads_a_naive_time_as_beijing_time_and_refuses_an_aware_one():
    moment = clock.attach(dt.datetime(2020, 1, 1, 0, 30))
    assert moment.astimezone(dt.UTC) == dt.datetime(2019, 12, 31, 16, 30, tzinfo=dt.UTC)
    assert clock.naive_local(moment) == dt.datetime(2020, 1, 1, 0, 30)
    with pytest.raises(ValueError, match="has a time zone already"):
        clock.attach(moment)
    assert clock.aware(moment) is moment and clock.aware(dt.datetime(2020, 1, 1, 0, 30)) == moment


def test_the_column_helpers_agree_with_the_scalar_ones():
    import polars as pl

    naive = [dt.datetime(2020, 1, 1, 0, 30), dt.datetime(2020, 6, 30, 23)]
    frame = pl.DataFrame({"t": naive}).with_columns(clock.utc_column(clock.attach_column(pl.col("t"))).alias("utc"))
    assert frame["utc"].to_list() == [clock.attach(t).astimezone(dt.UTC) for t in naive]
    assert frame.select(clock.naive_local_column(pl.col("utc")))["utc"].to_list() == naive
    text_utc = pl.DataFrame({"t": [dt.datetime(2019, 12, 31, 16, 30)]}).select(clock.attach_column(pl.col("t"), "UTC"))
    assert text_utc["t"].to_list() == [clock.attach(naive[0])]
    assert clock.zone_name() == "Asia/Shanghai"


def test_wall_now_is_real_time_whatever_the_as_of_time():
    with clock.as_of("2020-12-15T09:00"):
        assert clock.wall_now().year > 2020 and clock.now().year == 2020
        assert clock.wall_now().tzinfo is dt.UTC
