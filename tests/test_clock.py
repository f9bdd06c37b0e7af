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
