"""Break points in a (weather-normalised) series: a segmented mean, AQEval's way.

AQEval (Ropkins, K. et al., 2022, Atmosphere 13:1304; ``quantBreakPoints``) finds the break points of
a normalised series with ``strucchange::breakpoints(y ~ 1)``: the series is cut into segments with
constant means, for m = 0, 1, ... breaks, each the partition with the least residual sum of squares
(Bai, J. and Perron, P. (2003) Computation and analysis of multiple structural change models,
J. Appl. Econom. 18:1-22: dynamic programming over all segments at least ``h`` long), and the
number of breaks is the one with the smallest BIC. This module reproduces strucchange's figures:

* ``h``: minimum segment length, a fraction of n (default 0.15, strucchange's) or a count;
  at most ``ceil(n / h) - 2`` breaks;
* log-likelihood and BIC (``logLik.breakpoints``), k = 1 regressor (the mean):

  .. math:: \\mathrm{BIC}_m = n\\,(\\ln \\mathrm{RSS}_m + 1 - \\ln n + \\ln 2\\pi) + \\ln n \\cdot (k + 1)(m + 1)

* the confidence interval of each break date (``confint.breakpointsfull`` with its defaults
  ``het.reg = TRUE, het.err = TRUE``): Bai (1997, Estimation of a change point in multiple
  regression models, Rev. Econ. Stat. 79:551-563), the distribution of argmax V with the two
  segments' own error variances; the bounds are ``bp - ceil(upper)`` and ``bp - floor(lower)``.

With ``hac=True`` the segments' variances are replaced by their long-run (Newey-West, Bartlett
kernel) variances, as strucchange does when given a HAC ``vcov.``: a normalised daily series is
autocorrelated, and the i.i.d. interval is then too narrow. The size of a step, ``after - before``,
has the normal-theory interval of the difference of two segment means with those variances.

Pure: NumPy and SciPy on a Polars frame; no Django, no clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl

__all__ = ["Break", "Breaks", "find", "pargmax_v"]

#: Above this many points the n x n table of segment sums would be too large: use daily means.
MAX_POINTS = 10_000


@dataclass(frozen=True)
class Break:
    """A break after ``index`` (0-based: the last point of the segment before it; strucchange's
    breakpoint is ``index + 1``), dated by that point's time, with its ``level`` interval."""

    index: int
    date: object  # the time of the last point before the break
    lower_index: int
    upper_index: int
    lower: object  # interval bounds as times (clipped to the series)
    upper: object
    before: float  # the means of the segments either side
    after: float
    size: float  # after - before
    size_lower: float
    size_upper: float


@dataclass(frozen=True)
class Breaks:
    breaks: tuple[Break, ...]
    bic: tuple[float, ...]  # BIC for m = 0, 1, ... breaks
    rss: tuple[float, ...]
    n: int
    h: int
    level: float
    hac: bool


def pargmax_v(x: float, xi: float = 1.0, phi1: float = 1.0, phi2: float = 1.0) -> float:
    """P(argmax V <= x), Bai (1997) Appendix B, for a break between segments with error scales
    ``phi1``, ``phi2`` and regressor ratio ``xi`` (strucchange's ``pargmaxV``)."""
    from scipy.stats import (
        norm,  # scipy is loaded when break intervals are computed, not at start-up
    )

    phi = xi * (phi2 / phi1) ** 2
    a = abs(x)
    if x < 0:
        frac = xi / phi
        return (-math.exp(math.log(a) / 2 - a / 8 - math.log(2 * math.pi) / 2)
                - (phi / xi * (phi + 2 * xi) / (phi + xi))
                * math.exp(frac * (1 + frac) * a / 2 + norm.logcdf(-(0.5 + frac) * math.sqrt(a)))
                + math.exp(math.log(a / 2 - 2 + (phi + 2 * xi) ** 2 / ((phi + xi) * xi))
                           + norm.logcdf(-math.sqrt(a) / 2)))
    frac = xi ** 2 / phi
    if a == 0:
        # the limit x -> 0+ of the expression below (log(0) is avoided)
        return 1 + (xi / phi * (2 * phi + xi) / (phi + xi)) * 0.5 - ((2 * phi + xi) ** 2 / ((phi + xi) * phi) - 2) * 0.5
    return (1 + math.sqrt(frac) * math.exp(math.log(a) / 2 - frac * a / 8 - math.log(2 * math.pi) / 2)
            + (xi / phi * (2 * phi + xi) / (phi + xi))
            * math.exp((phi + xi) * a / 2 + norm.logcdf(-(phi + xi / 2) / math.sqrt(phi) * math.sqrt(a)))
            - math.exp(math.log((2 * phi + xi) ** 2 / ((phi + xi) * phi) - 2 + frac * a / 2)
                       + norm.logcdf(-math.sqrt(frac) * math.sqrt(a) / 2)))


def _long_run_variance(residuals: np.ndarray) -> float:
    """Newey-West (Bartlett) long-run variance with lag floor(4 (n/100)^(2/9))."""
    n = len(residuals)
    lags = int(math.floor(4 * (n / 100) ** (2 / 9)))
    value = float(residuals @ residuals) / n
    for lag in range(1, min(lags, n - 1) + 1):
        value += 2 * (1 - lag / (lags + 1)) * float(residuals[lag:] @ residuals[:-lag]) / n
    return max(value, float(residuals @ residuals) / n * 1e-6)


def _partitions(y: np.ndarray, h: int, max_breaks: int) -> tuple[list[float], list[list[int]]]:
    """For m = 0..max_breaks, the least RSS and its break indices (last points of the segments)."""
    n = len(y)
    cs = np.concatenate([[0.0], np.cumsum(y)])
    cs2 = np.concatenate([[0.0], np.cumsum(y * y)])
    i = np.arange(n)[:, None]  # segment start
    j = np.arange(n)[None, :]  # segment end (inclusive)
    length = j - i + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        table = (cs2[j + 1] - cs2[i]) - (cs[j + 1] - cs[i]) ** 2 / length
    table = np.where(length >= h, np.maximum(table, 0.0), np.inf)
    best = table[0].copy()  # best[j]: least RSS of y[0..j] in m + 1 segments
    rss, back = [float(best[-1])], []
    for _ in range(max_breaks):
        # previous partition ends at b, the new segment is b+1..j
        candidates = best[:-1, None] + table[1:, :]
        arg = np.argmin(candidates, axis=0)
        best = candidates[arg, np.arange(n)]
        back.append(arg)
        rss.append(float(best[-1]))
    breaks = [[]]
    for m in range(1, max_breaks + 1):
        points, end = [], n - 1
        for level in range(m - 1, -1, -1):
            end = int(back[level][end])
            points.append(end)
        breaks.append(sorted(points))
    return rss, breaks


def find(series: pl.DataFrame, column: str = "normalised", *, time: str = "date", h: float = 0.15,
         max_breaks: int | None = None, level: float = 0.95, hac: bool = False) -> Breaks:
    """The BIC-chosen break points of ``column`` in ``series`` (ordered by ``time``; missing values
    are left out, so indices count the points that have a value)."""
    for name in (time, column):
        if name not in series.columns:
            raise ValueError(f"missing column {name!r}")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    rows = series.select(time, pl.col(column).cast(pl.Float64)).drop_nulls().filter(
        pl.col(column).is_not_nan()).sort(time)
    y = rows[column].to_numpy()
    n = len(y)
    if n > MAX_POINTS:
        raise ValueError(f"{n} points: at most {MAX_POINTS} (use daily means)")
    size = int(math.floor(n * h)) if h < 1 else int(h)
    if size <= 1:
        raise ValueError(f"minimum segment size {size} must be greater than 1 (n = {n}, h = {h})")
    if size > n // 2:
        raise ValueError(f"minimum segment size {size} must be at most half the {n} points")
    most = math.ceil(n / size) - 2
    if max_breaks is not None:
        most = min(most, max_breaks)
    rss, partitions = _partitions(y, size, max(most, 0))
    bic = [n * (math.log(r) + 1 - math.log(n) + math.log(2 * math.pi)) + math.log(n) * 2 * (m + 1)
           if r > 0 else -math.inf for m, r in enumerate(rss)]
    chosen = int(np.argmin(bic))
    times = rows[time].to_list()
    return Breaks(breaks=tuple(_intervals(y, times, partitions[chosen], level, hac)), bic=tuple(bic),
                  rss=tuple(rss), n=n, h=size, level=level, hac=hac)


def _intervals(y, times, points, level, hac) -> list[Break]:
    from scipy.optimize import brentq
    from scipy.stats import norm

    n = len(y)
    a2 = (1 - level) / 2
    bounds = [-1, *points, n - 1]
    segments = [y[bounds[i] + 1:bounds[i + 1] + 1] for i in range(len(bounds) - 1)]
    means = [float(s.mean()) for s in segments]
    variances = [(_long_run_variance(s - s.mean()) if hac else float(((s - s.mean()) ** 2).mean()))
                 for s in segments]
    z = norm.ppf(1 - a2)
    result = []
    for i, bp in enumerate(points):
        delta = means[i + 1] - means[i]
        phi1, phi2 = math.sqrt(variances[i]), math.sqrt(variances[i + 1])
        lower_index = upper_index = None
        if delta != 0 and phi1 > 0 and phi2 > 0:
            p0 = pargmax_v(0.0, phi1=phi1, phi2=phi2)
            if a2 <= p0 <= 1 - a2:
                ub, lb = 0.0, 0.0
                while pargmax_v(ub, phi1=phi1, phi2=phi2) < 1 - a2:
                    ub += 1000
                while pargmax_v(lb, phi1=phi1, phi2=phi2) > a2:
                    lb -= 1000
                up = brentq(lambda x, p1=phi1, p2=phi2: pargmax_v(x, phi1=p1, phi2=p2) - (1 - a2), 0.0, ub)
                lo = brentq(lambda x, p1=phi1, p2=phi2: pargmax_v(x, phi1=p1, phi2=p2) - a2, lb, 0.0)
                scale = phi1 ** 2 / delta ** 2
                # strucchange counts observations from 1: bp + 1 - ceil(upper) etc., here 0-based
                lower_index = bp - math.ceil(up * scale)
                upper_index = bp - math.floor(lo * scale)
        spread = math.sqrt(variances[i] / len(segments[i]) + variances[i + 1] / len(segments[i + 1]))
        result.append(Break(
            index=bp, date=times[bp], lower_index=lower_index, upper_index=upper_index,
            lower=None if lower_index is None else times[min(max(lower_index, 0), n - 1)],
            upper=None if upper_index is None else times[min(max(upper_index, 0), n - 1)],
            before=means[i], after=means[i + 1], size=delta,
            size_lower=float(delta - z * spread), size_upper=float(delta + z * spread)))
    return result
