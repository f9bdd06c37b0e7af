"""Progress against the year's air-quality targets (时序进度): where a region stands, where it must
be by now, and what the rest of the year may still bring.

For every target the result gives the year-to-date value, the value that keeps the year on
schedule, the *allowance* for the rest of the year, and a status: ``met`` / ``missed`` once the
year is over, else ``on_track``, ``behind`` or ``cannot_be_met`` (the target is out of reach even
if every remaining day is perfect). Remaining days are counted as calendar days after ``as_of``,
all assumed valid.

Two allowances, because the published value is rounded: ``allowance`` is the rounding-tolerant
one (the published final value still meets the target), ``allowance_strict`` the one where the
exact final value does. For an annual mean they differ by ``0.5 x (days of the year) / (days
remaining)`` (5.9 ug/m3 with 31 days left in a leap year), so a page shows both, labelled.

``basis`` says what "on schedule" compared with: ``seasonal`` (the baseline year's season, see
below), ``elapsed`` (a count target times the share of the year elapsed, no baseline),
``no_baseline`` (a mean against the annual target itself, no baseline) or ``annual`` (a ratio or
an index, always against the annual target). The baseline year (the year before the target's) is
used only when its daily values cover every month (:func:`usable_baseline`); a page says which
basis each row has.

* Annual mean of PM2.5 or PM10 (upper limit T): the reported annual mean is rounded per GB/T 8170,
  so the year meets T while the exact mean is below T + 0.5 (or equal to it when T is even). The
  allowance is the highest mean the remaining days may have. On schedule: YTD mean <= T, or, with
  a baseline year's daily values, <= T x (baseline mean over the same dates / baseline annual mean),
  which allows for the season (winter months weigh more).
* Good days (lower limit G): the allowance is the number of non-good days the rest of the year may
  still have; on schedule when good days so far >= G x the share of the year elapsed (or of the
  baseline year's good days by this date).
* Good-day ratio (lower limit R %): allowance in non-good days, as above, for the published ratio
  of (g + x)/(d + r) (one decimal, half-even, HJ 663) >= R.
* Heavy-pollution days (upper limit H): allowance H - h; on schedule when h <= H x share elapsed.
* Composite index (upper limit): YTD value against the target only. Its percentile terms make an
  allowance non-linear, so none is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from gongjian.periods import Period
from gongjian.standards.hj663 import day_ratio
from gongjian.standards.rounding import round_half_even

__all__ = ["Progress", "composite_progress", "count_progress", "mean_progress", "ratio_progress",
           "usable_baseline"]


@dataclass(frozen=True)
class Progress:
    metric: str
    target: float
    year_to_date: float | None
    on_schedule: float | None
    allowance: float | None
    status: str
    days_elapsed: int
    days_remaining: int
    basis: str = "annual"
    allowance_strict: float | None = None


def usable_baseline(days: list[dt.date]) -> bool:
    """Whether a baseline year's daily values can set a seasonal schedule: a value in each of its
    twelve months (a year with whole months missing would move the schedule by its gaps)."""
    return len({d.month for d in days}) == 12


def _days(year: int, as_of: dt.date) -> tuple[int, int]:
    """Calendar days of ``year`` up to ``as_of`` (inclusive) and after it."""
    whole = Period.of_year(year)
    elapsed = whole.until(as_of).days if whole.start <= as_of else 0
    return elapsed, whole.days - elapsed


def mean_progress(metric: str, target: float, year: int, as_of: dt.date, daily: list[float],
                  baseline: list[tuple[dt.date, float]] | None = None) -> Progress:
    """Progress of an annual-mean target from the valid daily means of the year up to ``as_of``."""
    elapsed, remaining = _days(year, as_of)
    if not daily:
        return Progress(metric, target, None, None, None, "no_data", elapsed, remaining)
    total = sum(Fraction(v).limit_denominator(10**6) for v in daily)
    n = len(daily)
    ytd = float(total / n)
    bound = Fraction(target) + Fraction(1, 2)
    # whether a mean of exactly T + 0.5 still reports as T: GB/T 8170 decides, in its one home
    inclusive = round_half_even(str(float(bound))) <= Decimal(str(target))
    schedule = float(target)
    basis = "no_baseline"
    if baseline and usable_baseline([d for d, _ in baseline]):
        base_year = [v for _, v in baseline]
        base_ytd = [v for d, v in baseline if (d.month, d.day) <= (as_of.month, as_of.day)]
        if base_ytd and sum(base_year):
            schedule = float(target) * (sum(base_ytd) / len(base_ytd)) / (sum(base_year) / len(base_year))
            basis = "seasonal"
    if remaining == 0:
        final_ok = round_half_even(str(float(total / n))) <= Decimal(str(target))
        return Progress(metric, target, ytd, float(target), None, "met" if final_ok else "missed", elapsed, 0, basis)
    allowance = (bound * (n + remaining) - total) / remaining
    strict = (Fraction(target) * (n + remaining) - total) / remaining
    out_of_reach = allowance < 0 or (allowance == 0 and not inclusive)
    status = "cannot_be_met" if out_of_reach else ("on_track" if ytd <= schedule else "behind")
    return Progress(metric, target, ytd, schedule, float(allowance), status, elapsed, remaining, basis, float(strict))


def count_progress(metric: str, target: int, year: int, as_of: dt.date, count: int, upper: bool,
                   baseline_share: float | None = None) -> Progress:
    """Progress of a day-count target: good days (``upper=False``, at least ``target``) or
    heavy-pollution days (``upper=True``, at most ``target``). ``baseline_share`` is the share of a
    baseline year's count reached by this date (defaults to the share of the year elapsed). Counts
    are whole days: the strict allowance is the tolerant one."""
    elapsed, remaining = _days(year, as_of)
    share = baseline_share if baseline_share is not None else elapsed / (elapsed + remaining)
    basis = "seasonal" if baseline_share is not None else "elapsed"
    schedule = target * share
    if upper:
        allowance = target - count
        if remaining == 0:
            return Progress(metric, target, count, target, None, "met" if count <= target else "missed", elapsed, 0,
                            basis)
        status = "cannot_be_met" if allowance < 0 else ("on_track" if count <= schedule else "behind")
    else:
        allowance = count + remaining - target  # non-good days the rest of the year may still have
        if remaining == 0:
            return Progress(metric, target, count, target, None, "met" if count >= target else "missed", elapsed, 0,
                            basis)
        status = "cannot_be_met" if allowance < 0 else ("on_track" if count >= schedule else "behind")
    return Progress(metric, target, count, schedule, allowance, status, elapsed, remaining, basis, allowance)


def ratio_progress(target_percent: float, year: int, as_of: dt.date, good_days: int, valid_days: int) -> Progress:
    """Progress of a good-day-ratio target (at least ``target_percent`` % of valid days).

    The year-to-date value and every comparison use the ratio as published
    (:func:`gongjian.standards.hj663.day_ratio`: one decimal, half-even), so 254 good days of 363
    (69.97 %) publish as 70.0 % and meet a 70 % target. The allowance is the most non-good days
    the remaining days may bring with the published final ratio still at the target; the strict one
    keeps the exact final ratio at the target."""
    elapsed, remaining = _days(year, as_of)
    target = Decimal(str(target_percent))
    published = day_ratio(good_days, valid_days)
    ytd = float(published) if published is not None else None
    if remaining == 0:
        ok = published is not None and published >= target
        return Progress("good_ratio", target_percent, ytd, target_percent, None, "met" if ok else "missed", elapsed, 0)
    # the fewest good days among the remaining ones that keep the published final ratio at the target
    needed = next((x for x in range(remaining + 1) if day_ratio(good_days + x, valid_days + remaining) >= target),
                  remaining + 1)
    allowance = remaining - needed
    strict = remaining - next((x for x in range(remaining + 1)
                               if Fraction(100 * (good_days + x), valid_days + remaining) >= Fraction(target)),
                              remaining + 1)
    if allowance < 0:
        status = "cannot_be_met"
    else:
        status = "on_track" if published is None or published >= target else "behind"
    return Progress("good_ratio", target_percent, ytd, target_percent, allowance, status, elapsed, remaining,
                    "annual", strict)


def composite_progress(target: float, year: int, as_of: dt.date, value: float | None) -> Progress:
    """Progress of a composite-index target: the year-to-date index against the target."""
    elapsed, remaining = _days(year, as_of)
    if value is None:
        return Progress("composite_index", target, None, target, None, "no_data", elapsed, remaining)
    if remaining == 0:
        return Progress("composite_index", target, value, target, None, "met" if value <= target else "missed", elapsed, 0)
    # no allowance: the index has percentile terms (module docstring)
    return Progress("composite_index", target, value, target, None, "on_track" if value <= target else "behind",
                    elapsed, remaining)
