"""The one home of reporting periods: which days a day, week, dekad (旬), month, quarter, half-year,
year, year-to-date or custom period covers, its stable key, its label, and how a page asks for one.

Every calendar rule of the project lives here (month ends, dekad boundaries, quarter starts, ISO
weeks), so that rankings, bulletins, scorecards, plan deadlines and the engine agree on the same
days. A :class:`Period` is built once, where a request or a job decides it, and passed down whole:
nothing downstream works the kind back out of two dates.

Pure: no Django at import time and no clock ("today" is an argument), so ``gongjian.analytics``
may use it. Only :meth:`Period.label` and :meth:`PeriodQueryError.message` ask Django for the
active language, lazily, when no language is given.

Conventions, as the plans and the monitoring station write them:

* a dekad (旬) is days 1-10 (上旬), 11-20 (中旬) and 21 to the month's end (下旬), so the third
  dekad has 8 to 11 days (环办监测〔2018〕19号 ranks cities by dekad in this sense);
* a week is the ISO 8601 week, Monday to Sunday, numbered in its ISO year;
* quarters start in January, April, July and October; half-years in January and July;
* year-to-date (1—N月, 累计) runs from 1 January to the day given, inclusive.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn

__all__ = ["Period", "PeriodKind", "PeriodQueryError", "month_end", "query_date", "query_month", "query_year"]


class PeriodKind(StrEnum):
    """The kinds of reporting period. The values are the words of URLs and of
    :func:`gongjian.standards.hj663.period_validity` (``ytd`` for year-to-date)."""

    DAY = "day"
    WEEK = "week"
    DEKAD = "dekad"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half-year"
    YEAR = "year"
    YEAR_TO_DATE = "ytd"
    CUSTOM = "custom"


#: Each kind as people name it: (Chinese, English).
KIND_NAMES = {
    PeriodKind.DAY: ("日", "day"), PeriodKind.WEEK: ("周", "week"), PeriodKind.DEKAD: ("旬", "dekad"),
    PeriodKind.MONTH: ("月", "month"), PeriodKind.QUARTER: ("季度", "quarter"),
    PeriodKind.HALF_YEAR: ("半年", "half-year"), PeriodKind.YEAR: ("年", "year"),
    PeriodKind.YEAR_TO_DATE: ("年初至今", "year to date"), PeriodKind.CUSTOM: ("自定义", "custom"),
}


def kind_name(kind: PeriodKind | str, language: str | None = None) -> str:
    """A kind of period as a menu or heading names it (月, not ``month``): Chinese by default,
    English when ``language`` (or Django's active language) is English."""
    chinese, english = KIND_NAMES[PeriodKind(kind)]
    return english if _language(language) == "en" else chinese


#: Kinds fixed by the calendar: one period of each holds any given day.
CALENDAR_KINDS = (PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.DEKAD, PeriodKind.MONTH, PeriodKind.QUARTER,
                  PeriodKind.HALF_YEAR, PeriodKind.YEAR)

_ZH_DEKADS = ("上旬", "中旬", "下旬")
_EN_DEKADS = ("early", "mid", "late")


def month_end(year: int, month: int) -> dt.date:
    """The last day of ``month`` of ``year`` (28 to 31)."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _dekad_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    if day.day <= 10:
        return day.replace(day=1), day.replace(day=10)
    if day.day <= 20:
        return day.replace(day=11), day.replace(day=20)
    return day.replace(day=21), month_end(day.year, day.month)


def _bounds(kind: PeriodKind, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar period of ``kind`` holding ``day``."""
    if kind is PeriodKind.DAY:
        return day, day
    if kind is PeriodKind.WEEK:
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6)
    if kind is PeriodKind.DEKAD:
        return _dekad_bounds(day)
    if kind is PeriodKind.MONTH:
        return day.replace(day=1), month_end(day.year, day.month)
    if kind is PeriodKind.QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        return dt.date(day.year, first_month, 1), month_end(day.year, first_month + 2)
    if kind is PeriodKind.HALF_YEAR:
        first_month = 1 if day.month <= 6 else 7
        return dt.date(day.year, first_month, 1), month_end(day.year, first_month + 5)
    if kind is PeriodKind.YEAR:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    raise ValueError(f"a {kind} period is not fixed by the calendar")


def _year_earlier(day: dt.date) -> dt.date:
    """The same date a year earlier; 29 February becomes 28 February."""
    return day.replace(year=day.year - 1, day=min(day.day, month_end(day.year - 1, day.month).day))


def _language(language: str | None) -> str:
    """``"en"`` or ``"zh"``: the one given, else Django's active language, else Chinese."""
    if language is None:
        try:
            from django.utils.translation import get_language

            language = get_language() or ""
        except Exception:  # noqa: BLE001 - Django absent or not configured: the default language
            language = ""
    return "en" if language.lower().startswith("en") else "zh"


def _zh_date(day: dt.date, year: bool = True) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: its ``kind`` and its first and last day (both inclusive).

    Build one with :meth:`containing`, :meth:`spanning`, :meth:`custom`, :meth:`parse` or
    :meth:`from_query`; the constructor checks that the dates are the period the kind says (a month
    from its first to its last day, a year-to-date from 1 January), so a ``Period`` is always a
    true one.
    """

    kind: PeriodKind
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", PeriodKind(self.kind))
        if self.start > self.end:
            raise ValueError(f"a period cannot start ({self.start}) after it ends ({self.end})")
        if self.kind in CALENDAR_KINDS and _bounds(self.kind, self.start) != (self.start, self.end):
            raise ValueError(f"{self.start}..{self.end} is not a {self.kind}")
        if self.kind is PeriodKind.YEAR_TO_DATE and self.start != dt.date(self.end.year, 1, 1):
            raise ValueError(f"a year-to-date period starts on 1 January, not {self.start}")

    # construction ---------------------------------------------------------------------------

    @classmethod
    def containing(cls, kind: PeriodKind | str, day: dt.date) -> Period:
        """The period of ``kind`` holding ``day``; for year-to-date, 1 January to ``day``."""
        kind = PeriodKind(kind)
        if kind is PeriodKind.YEAR_TO_DATE:
            return cls(kind, dt.date(day.year, 1, 1), day)
        if kind is PeriodKind.CUSTOM:
            raise ValueError("a custom period needs its start and end: use Period.custom(start, end)")
        return cls(kind, *_bounds(kind, day))

    @classmethod
    def of_year(cls, year: int) -> Period:
        """The calendar year ``year``, 1 January to 31 December: for what is counted per year by its
        number (a target's year, a reduction list's year, a page's ``year`` parameter)."""
        return cls(PeriodKind.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> Period:
        """The days from ``start`` to ``end``; raises ``ValueError`` when ``start`` is after ``end``."""
        return cls(PeriodKind.CUSTOM, start, end)

    @classmethod
    def spanning(cls, start: dt.date, end: dt.date) -> Period:
        """The period from ``start`` to ``end`` as a request's two dates ask for it: the calendar
        period (day, ISO week, dekad, month, quarter, half-year, year) when the span is exactly one,
        else a custom period. Raises ``ValueError`` when ``start`` is after ``end``.

        The kind decides the validity rule (GB 3095-2026 Table 4, applied by
        :func:`gongjian.standards.hj663.period_validity`: a month needs the monthly minimum of valid
        days, a year the annual one in every month), so 1 to 29 February 2020 asked for by its dates
        is judged as that February, not as a span needing one valid day. Use this wherever a pair of
        dates (``from``/``to``, ``start``/``end``, ``--from``/``--to``) becomes a period; a span
        derived from another period (:meth:`until`, :meth:`previous`) keeps its own kind.
        """
        for kind in CALENDAR_KINDS:  # their lengths never overlap, so at most one fits
            if _bounds(kind, start) == (start, end):
                return cls(kind, start, end)
        return cls.custom(start, end)

    def until(self, day: dt.date) -> Period:
        """The part of this period up to ``day``: itself when ``day`` is its last day or later; a
        year-to-date for a year, otherwise a custom period from the same first day."""
        if day >= self.end:
            return self
        if day < self.start:
            raise ValueError(f"{day} is before the period starts ({self.start})")
        if self.kind in (PeriodKind.YEAR, PeriodKind.YEAR_TO_DATE):
            return Period(PeriodKind.YEAR_TO_DATE, self.start, day)
        return Period.custom(self.start, day)

    # neighbours -----------------------------------------------------------------------------

    def previous(self) -> Period:
        """The period just before (环比): the calendar period before a calendar one, the same number
        of days just before a custom one; for year-to-date, the same span a year earlier."""
        if self.kind in CALENDAR_KINDS:
            return Period.containing(self.kind, self.start - dt.timedelta(days=1))
        if self.kind is PeriodKind.YEAR_TO_DATE:
            return self.same_period_last_year()
        return Period.custom(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def same_period_last_year(self) -> Period:
        """The same period a year earlier (同比). A week is the same ISO week number where the earlier
        year has it (else its last week); 29 February becomes 28 February."""
        if self.kind is PeriodKind.WEEK:
            year, week, _ = self.start.isocalendar()
            weeks = dt.date(year - 1, 12, 28).isocalendar()[1]
            return Period.containing(self.kind, dt.date.fromisocalendar(year - 1, min(week, weeks), 1))
        if self.kind in CALENDAR_KINDS:
            return Period.containing(self.kind, _year_earlier(self.start))
        return Period(self.kind, _year_earlier(self.start), _year_earlier(self.end))

    # days -----------------------------------------------------------------------------------

    @property
    def days(self) -> int:
        """Calendar days in the period."""
        return (self.end - self.start).days + 1

    def dates(self) -> Iterator[dt.date]:
        """Every day of the period, in order."""
        for offset in range(self.days):
            yield self.start + dt.timedelta(days=offset)

    __iter__ = dates

    def months(self) -> list[Period]:
        """The calendar months the period touches, in order (a month partly inside counts).

        >>> [m.key for m in Period.custom(dt.date(2020, 1, 15), dt.date(2020, 3, 1)).months()]
        ['2020-M01', '2020-M02', '2020-M03']
        """
        months, month = [], Period.containing(PeriodKind.MONTH, self.start)
        while month.start <= self.end:
            months.append(month)
            month = Period.containing(PeriodKind.MONTH, month.end + dt.timedelta(days=1))
        return months

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    __contains__ = contains

    # names ----------------------------------------------------------------------------------

    @property
    def key(self) -> str:
        """A stable, sortable name that :meth:`parse` reads back: ``2026-03-05`` (day), ``2026-W10``
        (ISO week), ``2026-D07`` (the year's 7th dekad: March 上旬), ``2026-M03``, ``2026-Q1``,
        ``2026-H1``, ``2026``, ``2026-YTD-03-05`` (1 January to 5 March), ``2026-01-05..2026-02-03``."""
        s, kind = self.start, self.kind
        if kind is PeriodKind.DAY:
            return s.isoformat()
        if kind is PeriodKind.WEEK:
            year, week, _ = s.isocalendar()
            return f"{year}-W{week:02d}"
        if kind is PeriodKind.DEKAD:
            return f"{s.year}-D{(s.month - 1) * 3 + s.day // 10 + 1:02d}"
        if kind is PeriodKind.MONTH:
            return f"{s.year}-M{s.month:02d}"
        if kind is PeriodKind.QUARTER:
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if kind is PeriodKind.HALF_YEAR:
            return f"{s.year}-H{1 if s.month == 1 else 2}"
        if kind is PeriodKind.YEAR:
            return str(s.year)
        if kind is PeriodKind.YEAR_TO_DATE:
            return f"{self.end.year}-YTD-{self.end:%m-%d}"
        return f"{s.isoformat()}..{self.end.isoformat()}"

    _KEYS = re.compile(r"(?P<day>\d{4}-\d{2}-\d{2})|(?P<wy>\d{4})-W(?P<w>\d{2})|(?P<dy>\d{4})-D(?P<d>\d{2})"
                       r"|(?P<my>\d{4})-M(?P<m>\d{2})|(?P<qy>\d{4})-Q(?P<q>[1-4])|(?P<hy>\d{4})-H(?P<h>[12])"
                       r"|(?P<year>\d{4})|(?P<ty>\d{4})-YTD-(?P<tm>\d{2})-(?P<td>\d{2})"
                       r"|(?P<cs>\d{4}-\d{2}-\d{2})\.\.(?P<ce>\d{4}-\d{2}-\d{2})")

    @classmethod
    def parse(cls, key: str) -> Period:
        """The period whose :attr:`key` is ``key``; ``ValueError`` for anything else."""
        m = cls._KEYS.fullmatch(key.strip())
        if m is None:
            raise ValueError(f"{key!r} is not a period key")
        g = {k: v for k, v in m.groupdict().items() if v is not None}
        try:
            if "day" in g:
                return cls.containing(PeriodKind.DAY, dt.date.fromisoformat(g["day"]))
            if "w" in g:
                return cls.containing(PeriodKind.WEEK, dt.date.fromisocalendar(int(g["wy"]), int(g["w"]), 1))
            if "d" in g:
                number = int(g["d"])
                if not 1 <= number <= 36:
                    raise ValueError("a year has 36 dekads")
                month, third = divmod(number - 1, 3)
                return cls.containing(PeriodKind.DEKAD, dt.date(int(g["dy"]), month + 1, 10 * third + 1))
            if "m" in g:
                return cls.containing(PeriodKind.MONTH, dt.date(int(g["my"]), int(g["m"]), 1))
            if "q" in g:
                return cls.containing(PeriodKind.QUARTER, dt.date(int(g["qy"]), 3 * int(g["q"]) - 2, 1))
            if "h" in g:
                return cls.containing(PeriodKind.HALF_YEAR, dt.date(int(g["hy"]), 6 * int(g["h"]) - 5, 1))
            if "year" in g:
                return cls.containing(PeriodKind.YEAR, dt.date(int(g["year"]), 1, 1))
            if "ty" in g:
                return cls.containing(PeriodKind.YEAR_TO_DATE, dt.date(int(g["ty"]), int(g["tm"]), int(g["td"])))
            return cls.custom(dt.date.fromisoformat(g["cs"]), dt.date.fromisoformat(g["ce"]))
        except ValueError as exc:
            raise ValueError(f"{key!r} is not a period key: {exc}") from exc

    def label(self, language: str | None = None) -> str:
        """The period as people write it: Chinese by default ("2026年3月", "2026年3月上旬",
        "2026年第1季度", "2026年上半年", "2026年1—3月"), English when ``language`` (or, when it is
        not given, Django's active language) is English."""
        return self._label_en() if _language(language) == "en" else self._label_zh()

    def _label_zh(self) -> str:
        s, e, kind = self.start, self.end, self.kind
        if kind is PeriodKind.DAY:
            return _zh_date(s)
        if kind is PeriodKind.WEEK:
            year, week, _ = s.isocalendar()
            return f"{year}年第{week}周"
        if kind is PeriodKind.DEKAD:
            return f"{s.year}年{s.month}月{_ZH_DEKADS[s.day // 10]}"
        if kind is PeriodKind.MONTH:
            return f"{s.year}年{s.month}月"
        if kind is PeriodKind.QUARTER:
            return f"{s.year}年第{(s.month - 1) // 3 + 1}季度"
        if kind is PeriodKind.HALF_YEAR:
            return f"{s.year}年{'上' if s.month == 1 else '下'}半年"
        if kind is PeriodKind.YEAR:
            return f"{s.year}年"
        if kind is PeriodKind.YEAR_TO_DATE and e == month_end(e.year, e.month):
            return f"{e.year}年1月" if e.month == 1 else f"{e.year}年1—{e.month}月"
        return f"{_zh_date(s)}—{_zh_date(e, year=e.year != s.year)}"

    def _label_en(self) -> str:
        s, e, kind = self.start, self.end, self.kind
        if kind is PeriodKind.DAY:
            return f"{s.day} {s:%B %Y}"
        if kind is PeriodKind.WEEK:
            year, week, _ = s.isocalendar()
            return f"week {week} of {year}"
        if kind is PeriodKind.DEKAD:
            return f"{_EN_DEKADS[s.day // 10]} {s:%B %Y}"
        if kind is PeriodKind.MONTH:
            return f"{s:%B %Y}"
        if kind is PeriodKind.QUARTER:
            return f"Q{(s.month - 1) // 3 + 1} {s.year}"
        if kind is PeriodKind.HALF_YEAR:
            return f"{'first' if s.month == 1 else 'second'} half of {s.year}"
        if kind is PeriodKind.YEAR:
            return str(s.year)
        if kind is PeriodKind.YEAR_TO_DATE and e == month_end(e.year, e.month):
            return f"January {e.year}" if e.month == 1 else f"January–{e:%B %Y}"
        return f"{s.day} {s:%B %Y} – {e.day} {e:%B %Y}"

    def __str__(self) -> str:
        return self.key

    # requests -------------------------------------------------------------------------------

    @classmethod
    def from_query(cls, params: Mapping[str, str], *, default_kind: PeriodKind | str, today: dt.date,
                   kinds: tuple[PeriodKind | str, ...] | None = None, kind_param: str = "period",
                   day_param: str = "end", start_param: str = "start", aliases: Mapping[str, str] | None = None
                   ) -> Period:
        """The period a request asks for, from its query parameters.

        ``kind_param`` names a kind (default ``default_kind``), or is itself a period :attr:`key`;
        ``day_param`` (``YYYY-MM-DD``, default ``today``) is a day of the period; a custom period
        runs from ``start_param`` (default 1 January of that day's year) to that day, and is the
        calendar period it spans exactly when it spans one (:meth:`spanning`). ``kinds``
        limits the kinds a page offers; ``aliases`` maps a page's own words to kinds (the bulletins
        say ``weekly`` and ``monthly``). Raises :class:`PeriodQueryError` naming the parameter.
        """
        allowed = {PeriodKind(k) for k in (kinds or PeriodKind)}
        text = params.get(kind_param) or str(default_kind)
        text = (aliases or {}).get(text, text)
        try:
            kind = PeriodKind(text)
        except ValueError:
            try:
                period = cls.parse(text)
            except ValueError:
                raise PeriodQueryError(kind_param, text, "kind", sorted(allowed)) from None
            if period.kind not in allowed:
                raise PeriodQueryError(kind_param, text, "kind", sorted(allowed)) from None
            return period
        if kind not in allowed:
            raise PeriodQueryError(kind_param, text, "kind", sorted(allowed))
        day = query_date(params, day_param, today)
        if kind is PeriodKind.CUSTOM:
            start = query_date(params, start_param, dt.date(day.year, 1, 1))
            if start > day:
                raise PeriodQueryError(day_param, day.isoformat(), "order", [start_param])
            return cls.spanning(start, day)
        return cls.containing(kind, day)


class PeriodQueryError(ValueError):
    """A query parameter that is not the date, year, month or period a page asks for.

    ``parameter`` is its name, ``value`` what was sent, ``expected`` one of ``date``, ``year``,
    ``month``, ``kind`` (then ``choices`` lists them) or ``order`` (the value is before the
    parameter ``choices`` names). ``str()`` is English, for logs; :meth:`message` is what a
    person reads."""

    def __init__(self, parameter: str, value: str, expected: str, choices: list[str] | None = None) -> None:
        self.parameter, self.value, self.expected, self.choices = parameter, value, expected, list(choices or [])
        super().__init__(self.message("en"))

    def message(self, language: str | None = None) -> str:
        """Chinese by default, English when ``language`` (or Django's active language) is English."""
        choices = ", ".join(str(c) for c in self.choices)
        if _language(language) == "en":
            if self.expected == "order":
                return f"query parameter {self.parameter!r}: {self.value!r} is before {choices}"
            wanted = {"date": "a date (YYYY-MM-DD)", "year": "a year (YYYY)", "month": "a month (YYYY-MM)",
                      "kind": f"one of {choices}"}[self.expected]
            return f"query parameter {self.parameter!r}: {self.value!r} is not {wanted}"
        if self.expected == "order":
            return f"查询参数 {self.parameter} 的值“{self.value}”早于 {choices}"
        wanted = {"date": "日期（YYYY-MM-DD）", "year": "年份（YYYY）", "month": "月份（YYYY-MM）",
                  "kind": f"以下之一：{choices}"}[self.expected]
        return f"查询参数 {self.parameter} 的值“{self.value}”不是{wanted}"


def query_date(params: Mapping[str, str], name: str, default: dt.date | None = None) -> dt.date:
    """The date in query parameter ``name`` (``YYYY-MM-DD``); ``default`` when it is absent or empty
    (required when ``default`` is ``None``)."""
    value = (params.get(name) or "").strip()
    if not value and default is not None:
        return default
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    _bad(name, value, "date")


def query_year(params: Mapping[str, str], name: str, default: int) -> int:
    """The year in query parameter ``name`` (1900 to 2100); ``default`` when absent or empty."""
    value = (params.get(name) or "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and 1900 <= int(value) <= 2100):
        _bad(name, value, "year")
    return int(value)


def query_month(params: Mapping[str, str], name: str, default: dt.date) -> Period:
    """The month in query parameter ``name`` (``YYYY-MM``), as a :class:`Period`; the month holding
    ``default`` when absent or empty."""
    value = (params.get(name) or "").strip()
    if not value:
        return Period.containing(PeriodKind.MONTH, default)
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m is None or not 1 <= int(m.group(2)) <= 12:
        _bad(name, value, "month")
    return Period.containing(PeriodKind.MONTH, dt.date(int(m.group(1)), int(m.group(2)), 1))


def _bad(name: str, value: str, expected: str) -> NoReturn:
    raise PeriodQueryError(name, value, expected)
