"""Reporting periods (gongjian.periods) against calendar facts written out by hand: no expectation
below is computed with the module's own arithmetic."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import translation

from gongjian.periods import (
    Period,
    PeriodKind,
    PeriodQueryError,
    month_end,
    query_date,
    query_month,
    query_year,
)

D = dt.date
K = PeriodKind


@pytest.mark.parametrize(("kind", "day", "start", "end"), [
    (K.DAY, D(2026, 3, 5), D(2026, 3, 5), D(2026, 3, 5)),
    (K.WEEK, D(2026, 3, 5), D(2026, 3, 2), D(2026, 3, 8)),  # a Thursday: Monday 2 to Sunday 8 March
    (K.WEEK, D(2021, 1, 1), D(2020, 12, 28), D(2021, 1, 3)),  # ISO week 53 of 2020 crosses the new year
    (K.DEKAD, D(2026, 3, 10), D(2026, 3, 1), D(2026, 3, 10)),
    (K.DEKAD, D(2026, 3, 11), D(2026, 3, 11), D(2026, 3, 20)),
    (K.DEKAD, D(2026, 3, 21), D(2026, 3, 21), D(2026, 3, 31)),  # a 31-day month's third dekad has 11 days
    (K.DEKAD, D(2026, 2, 25), D(2026, 2, 21), D(2026, 2, 28)),  # February, common year: 8 days
    (K.DEKAD, D(2024, 2, 25), D(2024, 2, 21), D(2024, 2, 29)),  # February, leap year: 9 days
    (K.DEKAD, D(2026, 4, 30), D(2026, 4, 21), D(2026, 4, 30)),
    (K.MONTH, D(2026, 2, 14), D(2026, 2, 1), D(2026, 2, 28)),
    (K.MONTH, D(2100, 2, 14), D(2100, 2, 1), D(2100, 2, 28)),  # 2100 is not a leap year
    (K.QUARTER, D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
    (K.QUARTER, D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30)),
    (K.QUARTER, D(2026, 9, 30), D(2026, 7, 1), D(2026, 9, 30)),
    (K.QUARTER, D(2026, 11, 15), D(2026, 10, 1), D(2026, 12, 31)),
    (K.HALF_YEAR, D(2026, 6, 30), D(2026, 1, 1), D(2026, 6, 30)),
    (K.HALF_YEAR, D(2026, 7, 1), D(2026, 7, 1), D(2026, 12, 31)),
    (K.YEAR, D(2026, 7, 1), D(2026, 1, 1), D(2026, 12, 31)),
    (K.YEAR_TO_DATE, D(2026, 3, 5), D(2026, 1, 1), D(2026, 3, 5)),
    (K.YEAR_TO_DATE, D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 1)),
])
def test_the_period_holding_a_day(kind, day, start, end):
    period = Period.containing(kind, day)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert period.contains(day) and day in period


@pytest.mark.parametrize(("year", "month", "last"), [(2026, 1, 31), (2026, 2, 28), (2024, 2, 29), (2000, 2, 29),
                                                      (2026, 4, 30), (2026, 12, 31)])
def test_month_end(year, month, last):
    assert month_end(year, month) == D(year, month, last)


def test_days_and_iteration():
    dekad = Period.containing(K.DEKAD, D(2024, 2, 29))
    assert dekad.days == 9
    assert list(dekad.dates()) == [D(2024, 2, d) for d in range(21, 30)]
    assert list(dekad) == list(dekad.dates())
    assert Period.containing(K.YEAR, D(2024, 5, 1)).days == 366 and Period.containing(K.YEAR, D(2026, 5, 1)).days == 365
    assert not Period.containing(K.MONTH, D(2026, 3, 1)).contains(D(2026, 4, 1))


def test_custom_periods_are_checked():
    assert Period.custom(D(2026, 1, 5), D(2026, 2, 3)).days == 30
    with pytest.raises(ValueError, match="after it ends"):
        Period.custom(D(2026, 2, 3), D(2026, 1, 5))
    with pytest.raises(ValueError, match="custom period needs"):
        Period.containing(K.CUSTOM, D(2026, 1, 5))


@pytest.mark.parametrize(("start", "end", "kind"), [
    (D(2026, 3, 5), D(2026, 3, 5), K.DAY),
    (D(2020, 12, 28), D(2021, 1, 3), K.WEEK),  # Monday to Sunday across the new year: ISO week 53 of 2020
    (D(2026, 3, 3), D(2026, 3, 9), K.CUSTOM),  # seven days, Tuesday to Monday: no week
    (D(2026, 3, 11), D(2026, 3, 20), K.DEKAD),
    (D(2024, 2, 21), D(2024, 2, 29), K.DEKAD),  # the third dekad of a leap February: 9 days
    (D(2024, 2, 21), D(2024, 2, 28), K.CUSTOM),  # ... and one day short of it
    (D(2020, 2, 1), D(2020, 2, 29), K.MONTH),
    (D(2020, 2, 1), D(2020, 2, 28), K.CUSTOM),  # not the whole of a leap February
    (D(2026, 2, 1), D(2026, 2, 28), K.MONTH),
    (D(2026, 4, 1), D(2026, 6, 30), K.QUARTER),
    (D(2026, 2, 1), D(2026, 4, 30), K.CUSTOM),  # three months, but not a quarter
    (D(2026, 7, 1), D(2026, 12, 31), K.HALF_YEAR),
    (D(2024, 1, 1), D(2024, 12, 31), K.YEAR),
    (D(2024, 1, 1), D(2024, 12, 30), K.CUSTOM),
    (D(2026, 1, 1), D(2026, 3, 5), K.CUSTOM),  # from 1 January, but asked for by two dates, not as 1—N月
    (D(2025, 12, 1), D(2026, 1, 31), K.CUSTOM),
])
def test_two_dates_span_the_calendar_period_they_are(start, end, kind):
    period = Period.spanning(start, end)
    assert (period.kind, period.start, period.end) == (kind, start, end)


def test_spanning_refuses_an_end_before_the_start():
    with pytest.raises(ValueError, match="after it ends"):
        Period.spanning(D(2026, 3, 2), D(2026, 3, 1))


def test_a_period_is_what_its_kind_says():
    with pytest.raises(ValueError, match="is not a month"):
        Period(K.MONTH, D(2026, 3, 1), D(2026, 3, 30))
    with pytest.raises(ValueError, match="starts on 1 January"):
        Period(K.YEAR_TO_DATE, D(2026, 2, 1), D(2026, 3, 5))


@pytest.mark.parametrize(("period", "previous"), [
    (Period.containing(K.DAY, D(2026, 1, 1)), Period(K.DAY, D(2025, 12, 31), D(2025, 12, 31))),
    (Period.containing(K.WEEK, D(2026, 1, 1)), Period(K.WEEK, D(2025, 12, 22), D(2025, 12, 28))),
    (Period.containing(K.DEKAD, D(2026, 1, 5)), Period(K.DEKAD, D(2025, 12, 21), D(2025, 12, 31))),
    (Period.containing(K.DEKAD, D(2026, 3, 5)), Period(K.DEKAD, D(2026, 2, 21), D(2026, 2, 28))),
    (Period.containing(K.MONTH, D(2026, 1, 20)), Period(K.MONTH, D(2025, 12, 1), D(2025, 12, 31))),
    (Period.containing(K.QUARTER, D(2026, 2, 1)), Period(K.QUARTER, D(2025, 10, 1), D(2025, 12, 31))),
    (Period.containing(K.HALF_YEAR, D(2026, 2, 1)), Period(K.HALF_YEAR, D(2025, 7, 1), D(2025, 12, 31))),
    (Period.containing(K.YEAR, D(2026, 2, 1)), Period(K.YEAR, D(2025, 1, 1), D(2025, 12, 31))),
    (Period.custom(D(2026, 1, 1), D(2026, 1, 10)), Period.custom(D(2025, 12, 22), D(2025, 12, 31))),
])
def test_previous_across_the_year_end(period, previous):
    assert period.previous() == previous


@pytest.mark.parametrize(("period", "last_year"), [
    (Period.containing(K.DAY, D(2024, 2, 29)), Period(K.DAY, D(2023, 2, 28), D(2023, 2, 28))),
    (Period.containing(K.WEEK, D(2026, 3, 5)), Period(K.WEEK, D(2025, 3, 3), D(2025, 3, 9))),  # week 10 both years
    (Period.containing(K.WEEK, D(2021, 1, 1)), Period(K.WEEK, D(2019, 12, 23), D(2019, 12, 29))),  # 2020-W53 -> 2019-W52
    (Period.containing(K.DEKAD, D(2024, 2, 25)), Period(K.DEKAD, D(2023, 2, 21), D(2023, 2, 28))),
    (Period.containing(K.MONTH, D(2026, 1, 20)), Period(K.MONTH, D(2025, 1, 1), D(2025, 1, 31))),
    (Period.containing(K.QUARTER, D(2026, 1, 20)), Period(K.QUARTER, D(2025, 1, 1), D(2025, 3, 31))),
    (Period.containing(K.YEAR_TO_DATE, D(2024, 2, 29)), Period(K.YEAR_TO_DATE, D(2023, 1, 1), D(2023, 2, 28))),
    (Period.custom(D(2025, 12, 20), D(2026, 1, 5)), Period.custom(D(2024, 12, 20), D(2025, 1, 5))),
])
def test_same_period_last_year(period, last_year):
    assert period.same_period_last_year() == last_year


@pytest.mark.parametrize(("period", "key"), [
    (Period.containing(K.DAY, D(2026, 3, 5)), "2026-03-05"),
    (Period.containing(K.WEEK, D(2026, 3, 5)), "2026-W10"),
    (Period.containing(K.WEEK, D(2021, 1, 1)), "2020-W53"),
    (Period.containing(K.DEKAD, D(2026, 1, 1)), "2026-D01"),
    (Period.containing(K.DEKAD, D(2026, 3, 5)), "2026-D07"),
    (Period.containing(K.DEKAD, D(2026, 12, 31)), "2026-D36"),
    (Period.containing(K.MONTH, D(2026, 3, 5)), "2026-M03"),
    (Period.containing(K.QUARTER, D(2026, 3, 5)), "2026-Q1"),
    (Period.containing(K.HALF_YEAR, D(2026, 8, 5)), "2026-H2"),
    (Period.containing(K.YEAR, D(2026, 3, 5)), "2026"),
    (Period.containing(K.YEAR_TO_DATE, D(2026, 3, 5)), "2026-YTD-03-05"),
    (Period.custom(D(2025, 12, 20), D(2026, 1, 5)), "2025-12-20..2026-01-05"),
])
def test_keys_round_trip(period, key):
    assert period.key == key
    assert Period.parse(key) == period


@pytest.mark.parametrize("key", ["2026-M13", "2026-D37", "2026-D00", "2026-Q5", "2026-W54", "2026-02-30",
                                 "2026-02-03..2026-01-05", "March", ""])
def test_bad_keys_are_refused(key):
    with pytest.raises(ValueError):
        Period.parse(key)


@pytest.mark.parametrize(("period", "zh", "en"), [
    (Period.containing(K.DAY, D(2026, 3, 5)), "2026年3月5日", "5 March 2026"),
    (Period.containing(K.WEEK, D(2026, 3, 5)), "2026年第10周", "week 10 of 2026"),
    (Period.containing(K.DEKAD, D(2026, 3, 5)), "2026年3月上旬", "early March 2026"),
    (Period.containing(K.DEKAD, D(2026, 3, 15)), "2026年3月中旬", "mid March 2026"),
    (Period.containing(K.DEKAD, D(2026, 3, 25)), "2026年3月下旬", "late March 2026"),
    (Period.containing(K.MONTH, D(2026, 3, 5)), "2026年3月", "March 2026"),
    (Period.containing(K.QUARTER, D(2026, 3, 5)), "2026年第1季度", "Q1 2026"),
    (Period.containing(K.HALF_YEAR, D(2026, 3, 5)), "2026年上半年", "first half of 2026"),
    (Period.containing(K.HALF_YEAR, D(2026, 9, 5)), "2026年下半年", "second half of 2026"),
    (Period.containing(K.YEAR, D(2026, 3, 5)), "2026年", "2026"),
    (Period.containing(K.YEAR_TO_DATE, D(2026, 3, 31)), "2026年1—3月", "January–March 2026"),
    (Period.containing(K.YEAR_TO_DATE, D(2026, 3, 5)), "2026年1月1日—3月5日", "1 January 2026 – 5 March 2026"),
    (Period.custom(D(2025, 12, 20), D(2026, 1, 5)), "2025年12月20日—2026年1月5日", "20 December 2025 – 5 January 2026"),
])
def test_labels(period, zh, en):
    assert (period.label("zh-hans"), period.label("en")) == (zh, en)
    with translation.override("en"):
        assert period.label() == en
    with translation.override("zh-hans"):
        assert period.label() == zh


def test_until_keeps_the_kind_only_while_the_period_is_whole():
    march = Period.containing(K.MONTH, D(2026, 3, 5))
    assert march.until(D(2026, 3, 31)) == march
    assert march.until(D(2026, 3, 15)) == Period.custom(D(2026, 3, 1), D(2026, 3, 15))
    assert Period.containing(K.YEAR, D(2026, 3, 5)).until(D(2026, 3, 5)) == Period(K.YEAR_TO_DATE, D(2026, 1, 1),
                                                                                  D(2026, 3, 5))


TODAY = D(2026, 3, 5)


@pytest.mark.parametrize(("query", "expected"), [
    ("", Period(K.MONTH, D(2026, 3, 1), D(2026, 3, 31))),
    ("period=dekad&end=2026-02-25", Period(K.DEKAD, D(2026, 2, 21), D(2026, 2, 28))),
    ("period=custom&start=2026-02-02&end=2026-02-10", Period.custom(D(2026, 2, 2), D(2026, 2, 10))),
    ("period=custom", Period.custom(D(2026, 1, 1), TODAY)),
    ("period=custom&start=2026-02-01&end=2026-02-28", Period(K.MONTH, D(2026, 2, 1), D(2026, 2, 28))),
    ("period=2025-Q4", Period(K.QUARTER, D(2025, 10, 1), D(2025, 12, 31))),
])
def test_from_query(query, expected):
    assert Period.from_query(QueryDict(query), default_kind=K.MONTH, today=TODAY) == expected


@pytest.mark.parametrize(("query", "parameter", "zh", "en"), [
    ("period=fortnight", "period", "查询参数 period 的值“fortnight”不是以下之一", "'fortnight' is not one of"),
    ("end=2026-02-30", "end", "查询参数 end 的值“2026-02-30”不是日期（YYYY-MM-DD）", "'2026-02-30' is not a date"),
    ("end=20260305", "end", "“20260305”不是日期", "'20260305' is not a date"),
    ("period=custom&start=2026-04-01", "end", "查询参数 end 的值“2026-03-05”早于 start", "'2026-03-05' is before start"),
    ("period=year", "period", "不是以下之一", "is not one of"),  # not offered by this page
])
def test_bad_queries_name_the_parameter(query, parameter, zh, en):
    with pytest.raises(PeriodQueryError) as caught:
        Period.from_query(QueryDict(query), default_kind=K.MONTH, today=TODAY, kinds=(K.DEKAD, K.MONTH, K.QUARTER, K.CUSTOM))
    assert isinstance(caught.value, ValueError) and caught.value.parameter == parameter
    assert zh in caught.value.message("zh-hans") and en in caught.value.message("en")


def test_aliases_map_a_page_s_own_words():
    words = {"weekly": K.WEEK, "monthly": K.MONTH}
    asked = Period.from_query(QueryDict("kind=weekly&date=2026-03-05"), default_kind="monthly", today=TODAY,
                              kind_param="kind", day_param="date", aliases=words, kinds=tuple(words.values()))
    assert asked == Period(K.WEEK, D(2026, 3, 2), D(2026, 3, 8))


def test_single_parameters():
    q = QueryDict("day=2026-03-05&year=2026&month=2026-02&bad=26&badmonth=2026-13")
    assert query_date(q, "day") == TODAY and query_date(q, "none", TODAY) == TODAY
    assert query_year(q, "year", 2000) == 2026 and query_year(q, "none", 2000) == 2000
    assert query_month(q, "month", TODAY) == Period(K.MONTH, D(2026, 2, 1), D(2026, 2, 28))
    assert query_month(q, "none", TODAY) == Period(K.MONTH, D(2026, 3, 1), D(2026, 3, 31))
    for call in (lambda: query_date(q, "none"), lambda: query_year(q, "bad", 2000), lambda: query_month(q, "badmonth", TODAY)):
        with pytest.raises(PeriodQueryError):
            call()


def test_the_module_imports_no_django():
    """The pure layers may use it: importing it loads no Django module (checked in a fresh interpreter)."""
    import subprocess
    import sys

    code = "import sys, gongjian.periods; print(any(m.startswith('django') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


@pytest.mark.parametrize(("year", "days"), [(2020, 366), (2026, 365)])
def test_a_year_by_its_number(year, days):
    period = Period.of_year(year)
    assert (period.kind, period.start, period.end, period.days) == (K.YEAR, D(year, 1, 1), D(year, 12, 31), days)
    assert period == Period.parse(str(year))
