"""Verification of daily AQI forecasts by lead day, by the rules Chinese forecast offices are
assessed with, and their skill against persistence and climatology (issue 18).

Forecasts (the layout of ``gongjian air forecast verify``): one row per place (``station`` or
``region``), ``issued`` and target ``day`` (``lead`` = day - issued when absent), with ``aqi`` (a
point value) and/or ``aqi_low`` and ``aqi_high`` (a range), and optionally ``primary`` (one or more
pollutants, "PM2.5", "O3", "PM2.5、O3"; empty = none). Observed: the daily AQI of the same places
(``date``, ``aqi``, ``primary_pollutants``) from :func:`gongjian.analytics.airquality.daily_aqi`.

Scores (:func:`score`), each a share of the forecast days that have an observed AQI:

``level_accuracy`` — AQI level accuracy (级别准确率): the level forecast is the level observed. A range
    forecast spanning two or more levels (良至轻度污染) is right when the observed level is one of
    them (the "AQI 级别范围预报" evaluation 王晓彦 et al. 2022 compare the half-level method with;
    DB32/T 4678-2024 §6.1 "AQI 预报准确率" is the provincial clause for it, whose text we could not
    check: see docs/forecasts.md).
``range_accuracy`` — the observed AQI lies in the forecast range ``aqi_low..aqi_high`` (AQI 范围预报).
``half_level_accuracy`` — the half-level method of the China National Environmental Monitoring
    Centre (王晓彦, 朱莉莉, 许荣 et al., 基于半级别的城市空气质量预报评估方法探讨, 环境科学 2022,
    43(7): 3396-3403): the six AQI levels are split into 12 half-levels, after the UK forecast
    evaluation method. See :class:`Rules` for which parts of it are configurable and why.
``primary_accuracy`` — primary-pollutant accuracy (首要污染物准确率): on days whose observed AQI
    exceeds 50 (HJ 633 names a primary pollutant only when the AQI exceeds 50), the forecast
    names one of the observed primary pollutants (ties kept on both sides). O3 1-hour and 8-hour
    count as one pollutant, O3.

Skill (:func:`skill`): ``(A - A_ref) / (1 - A_ref)`` for an accuracy ``A`` against a reference
forecast's ``A_ref`` (1 = perfect, 0 = no better than the reference, negative = worse), and
``1 - MAE / MAE_ref`` for the mean absolute AQI error. References: :func:`persistence` (the AQI of
the issue day for every lead: tomorrow = today) and :func:`climatology` (the AQI of the day-of-year
mean concentrations of the training years).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from gongjian.standards import hj663
from gongjian.standards.hj633 import level_expr
from gongjian.standards.rounding import round_half_even_expr

from .forecast import POLLUTANTS, aqi_of

__all__ = [
    "HALF_LEVEL_UPPER", "Rules", "climatology", "compare", "half_level", "half_level_expr", "match",
    "normalise_pollutants", "persistence", "score", "skill", "summarise", "worst_misses",
]

#: Upper AQI of each of the 12 half-levels: each level of HJ 633 Table 2 split at its midpoint
#: (优 0-25, 26-50; 良 51-75, 76-100; ... 重度污染 201-250, 251-300; 严重污染 301-400, 401-500).
#: The split into 12 half-levels is the paper's; the midpoints are our reading of it (unverified:
#: the paper's table was not available to check), hence configurable through :class:`Rules`.
HALF_LEVEL_UPPER = (25, 50, 75, 100, 125, 150, 175, 200, 250, 300, 400, 500)


@dataclass(frozen=True)
class Rules:
    """The configurable parts of the scoring rules.

    ``half_level_upper`` — upper AQI of each half-level (default :data:`HALF_LEVEL_UPPER`).
    ``point_tolerance`` — a point forecast is right by the half-level method when its half-level is
    within this many half-levels of the observed one (default 1: the same or an adjacent
    half-level, i.e. within about half a level of the observed AQI). ``range_tolerance`` — the
    same for a range forecast, around the half-levels it spans (default 0). Both defaults are our
    reading of the half-level method and are flagged as unverified in docs/forecasts.md.
    ``primary_on_good_days`` — ``"skip"`` (default: days with observed AQI ≤ 50 do not count for
    primary-pollutant accuracy) or ``"none_is_right"`` (they count, and are right when the
    forecast names no primary pollutant or forecasts AQI ≤ 50).
    """

    half_level_upper: tuple[int, ...] = HALF_LEVEL_UPPER
    point_tolerance: int = 1
    range_tolerance: int = 0
    primary_on_good_days: str = "skip"

    def __post_init__(self):
        upper = self.half_level_upper
        if len(upper) < 2 or any(b <= a for a, b in zip(upper, upper[1:], strict=False)):
            raise ValueError("half_level_upper must be increasing AQI values")
        if self.point_tolerance < 0 or self.range_tolerance < 0:
            raise ValueError("tolerances are whole numbers of half-levels, 0 or more")
        if self.primary_on_good_days not in ("skip", "none_is_right"):
            raise ValueError("primary_on_good_days is 'skip' or 'none_is_right'")


def half_level_expr(aqi: pl.Expr, upper: tuple[int, ...] = HALF_LEVEL_UPPER) -> pl.Expr:
    """The half-level (1..12) of an AQI column; above the last upper bound, the last half-level."""
    chain = pl.when(aqi.is_null()).then(pl.lit(None, pl.Int8))
    for i, bound in enumerate(upper, 1):
        chain = chain.when(aqi <= bound).then(pl.lit(i, pl.Int8))
    return chain.otherwise(pl.lit(len(upper), pl.Int8))


def half_level(aqi: int, upper: tuple[int, ...] = HALF_LEVEL_UPPER) -> int:
    """Scalar :func:`half_level_expr`.

    >>> half_level(25), half_level(26), half_level(100), half_level(101), half_level(301)
    (1, 2, 4, 5, 11)
    """
    return pl.select(half_level_expr(pl.lit(aqi), upper)).item()


_ALIASES = {"PM25": "PM2.5", "PM2.5": "PM2.5", "PM10": "PM10", "SO2": "SO2", "NO2": "NO2", "CO": "CO",
            "O3": "O3", "O38H": "O3", "O31H": "O3", "O3_8H": "O3", "O3_1H": "O3", "O3-8H": "O3", "O3-1H": "O3",
            "臭氧": "O3", "细颗粒物": "PM2.5", "可吸入颗粒物": "PM10", "二氧化硫": "SO2", "二氧化氮": "NO2",
            "一氧化碳": "CO"}
_NONE = {"", "-", "—", "无", "NONE", "NA"}


def normalise_pollutants(text: str | list | None) -> list[str]:
    """Pollutant names as one spelling (PM2.5, PM10, SO2, NO2, CO, O3) from a text ("PM2.5、O3",
    "pm25/o3_8h", "—" = none) or a list; an unknown name raises ValueError naming it."""
    if text is None:
        return []
    parts = text if isinstance(text, list) else [p for chunk in str(text).replace("，", ",").replace("、", ",")
                                                 .replace("/", ",").replace(";", ",").replace("+", ",").split(",")
                                                 for p in [chunk.strip()]]
    names = []
    for part in parts:
        token = str(part).strip().upper().replace(" ", "").replace("₂", "2").replace("₃", "3").replace(".", "")
        if token in _NONE:
            continue
        name = _ALIASES.get(token) or _ALIASES.get(token.replace("_", "").replace("-", ""))
        if name is None:
            raise ValueError(f"unknown pollutant {part!r} (known: PM2.5, PM10, SO2, NO2, CO, O3)")
        if name not in names:
            names.append(name)
    return names


def _key(frame: pl.DataFrame, key: str | None) -> str:
    if key:
        return key
    for name in ("station", "region"):
        if name in frame.columns:
            return name
    raise ValueError("no place column: station or region")


def match(forecasts: pl.DataFrame, observed: pl.DataFrame, *, key: str | None = None,
          rules: Rules = Rules()) -> pl.DataFrame:
    """Each forecast row beside the observed AQI of its day, with the hit of every score
    (``level_hit``, ``range_hit``, ``half_level_hit``, ``primary_hit``; null where it does not
    apply) and ``miss``: how far the observed AQI lies from the point forecast, or outside the
    range (0 inside it)."""
    key = _key(forecasts, key)
    f = forecasts
    if "lead" not in f.columns:
        f = f.with_columns((pl.col("day") - pl.col("issued")).dt.total_days().cast(pl.Int32).alias("lead"))
    has_point, has_range = "aqi" in f.columns, {"aqi_low", "aqi_high"} <= set(f.columns)
    if not has_point and not has_range:
        raise ValueError("a forecast needs aqi, or aqi_low and aqi_high")
    for name in ("aqi", "aqi_low", "aqi_high"):
        f = f.with_columns(pl.col(name).cast(pl.Int64) if name in f.columns else pl.lit(None, pl.Int64).alias(name))
    if has_range:
        bad = f.with_row_index("_row", 1).filter(pl.col("aqi_low") > pl.col("aqi_high"))
        if bad.height:
            row = bad.row(0, named=True)
            raise ValueError(f"row {row['_row']}: aqi_low {row['aqi_low']} is above aqi_high {row['aqi_high']}")
    if "primary" not in f.columns and "primary_pollutants" in f.columns:  # predict()'s output
        f = f.with_columns(pl.col("primary_pollutants").alias("primary"))
    primary = f["primary"].to_list() if "primary" in f.columns else [None] * f.height
    f = f.with_columns(pl.Series("forecast_primary", [normalise_pollutants(p) for p in primary],
                                 dtype=pl.List(pl.String)))
    obs = observed.select(key, pl.col("date").alias("day"), pl.col("aqi").cast(pl.Int64).alias("observed_aqi"),
                          pl.col("primary_pollutants").list.eval(pl.element().str.replace(r"^O3_.*", "O3"))
                          .list.unique(maintain_order=True).alias("observed_primary")
                          if "primary_pollutants" in observed.columns
                          else pl.lit(None, pl.List(pl.String)).alias("observed_primary"))
    m = f.join(obs, on=[key, "day"], how="inner").filter(pl.col("observed_aqi").is_not_null())
    upper, tol_p, tol_r = rules.half_level_upper, rules.point_tolerance, rules.range_tolerance
    ranged = pl.col("aqi_low").is_not_null() & pl.col("aqi_high").is_not_null()
    point = pl.col("aqi").is_not_null()
    lvl_o, hl_o = level_expr(pl.col("observed_aqi")), half_level_expr(pl.col("observed_aqi"), upper)
    m = m.with_columns(
        level_expr(pl.col("aqi")).alias("forecast_level"), lvl_o.alias("observed_level"),
        half_level_expr(pl.col("aqi"), upper).alias("forecast_half_level"), hl_o.alias("observed_half_level"),
        pl.when(ranged).then(lvl_o.is_between(level_expr(pl.col("aqi_low")), level_expr(pl.col("aqi_high"))))
        .when(point).then(level_expr(pl.col("aqi")) == lvl_o).alias("level_hit"),
        pl.when(ranged).then(pl.col("observed_aqi").is_between(pl.col("aqi_low"), pl.col("aqi_high"))).alias("range_hit"),
        pl.when(ranged).then(hl_o.cast(pl.Int32).is_between(
            half_level_expr(pl.col("aqi_low"), upper).cast(pl.Int32) - tol_r,
            half_level_expr(pl.col("aqi_high"), upper).cast(pl.Int32) + tol_r))
        .when(point).then((half_level_expr(pl.col("aqi"), upper).cast(pl.Int32) - hl_o.cast(pl.Int32)).abs() <= tol_p)
        .alias("half_level_hit"),
        pl.when(ranged).then(pl.max_horizontal(pl.col("aqi_low") - pl.col("observed_aqi"),
                                               pl.col("observed_aqi") - pl.col("aqi_high"), pl.lit(0)))
        .otherwise((pl.col("aqi") - pl.col("observed_aqi")).abs()).alias("miss"),
    )
    good = pl.col("observed_aqi") <= 50
    forecast_none = (pl.col("forecast_primary").list.len() == 0) | (pl.col("aqi") <= 50).fill_null(False)
    overlap = pl.col("forecast_primary").list.set_intersection(pl.col("observed_primary")).list.len() > 0
    has_primary = "primary" in f.columns
    if not has_primary:
        hit = pl.lit(None, pl.Boolean)
    elif rules.primary_on_good_days == "skip":
        hit = pl.when(~good & pl.col("observed_primary").is_not_null()).then(overlap)
    else:
        hit = pl.when(good).then(forecast_none).when(pl.col("observed_primary").is_not_null()).then(overlap)
    return m.with_columns(hit.alias("primary_hit")).sort(key, "issued", "lead")


def _share(hit: str) -> pl.Expr:
    return pl.col(hit).cast(pl.Float64).mean().alias(hit.replace("_hit", "_accuracy"))


def score(forecasts: pl.DataFrame, observed: pl.DataFrame, *, key: str | None = None, rules: Rules = Rules(),
          by: tuple[str, ...] = ("lead",)) -> pl.DataFrame:
    """Scores per lead day (or per ``by``): ``days`` (forecasts with an observed AQI), the four
    accuracies (null where no forecast has what they score), ``primary_days``, ``mae`` and
    ``bias`` (forecast - observed) of the point AQI."""
    return summarise(match(forecasts, observed, key=key, rules=rules), by)


def summarise(matched: pl.DataFrame, by: tuple[str, ...] = ("lead",)) -> pl.DataFrame:
    """:func:`score` of rows already :func:`match`-ed (e.g. one month of them)."""
    return matched.group_by(list(by)).agg(
        pl.len().alias("days"),
        _share("level_hit"), _share("half_level_hit"), _share("range_hit"), _share("primary_hit"),
        pl.col("primary_hit").count().alias("primary_days"),
        (pl.col("aqi") - pl.col("observed_aqi")).abs().mean().alias("mae"),
        (pl.col("aqi") - pl.col("observed_aqi")).mean().alias("bias"),
    ).sort(list(by))


def worst_misses(matched: pl.DataFrame, n: int = 10) -> pl.DataFrame:
    """The ``n`` forecasts farthest from what was observed (largest ``miss``, then wrong level)."""
    return matched.sort(["miss", "level_hit", "lead"], descending=[True, False, False], nulls_last=True).head(n)


def skill(scores: pl.DataFrame, reference: pl.DataFrame, *, by: tuple[str, ...] = ("lead",),
          suffix: str = "reference") -> pl.DataFrame:
    """Skill of ``scores`` against a reference's scores on the same ``by`` rows: the reference's
    measures as ``<suffix>_<measure>``; for each accuracy ``skill_<accuracy> = (A - A_ref) / (1 - A_ref)``
    (null when the reference is perfect), and ``skill_mae = 1 - MAE / MAE_ref``."""
    names = ["level_accuracy", "half_level_accuracy", "range_accuracy", "primary_accuracy"]
    ref = reference.select(*by, *[pl.col(n).alias(f"{suffix}_{n}") for n in [*names, "mae"]])
    joined = scores.join(ref, on=list(by), how="left")
    columns = [pl.when(pl.col(f"{suffix}_{n}") < 1).then((pl.col(n) - pl.col(f"{suffix}_{n}")) / (1 - pl.col(f"{suffix}_{n}")))
               .alias(f"skill_{n}") for n in names]
    columns.append(pl.when(pl.col(f"{suffix}_mae") > 0).then(1 - pl.col("mae") / pl.col(f"{suffix}_mae")).alias("skill_mae"))
    return joined.with_columns(columns)


def compare(scored: dict[str, pl.DataFrame], *, by: tuple[str, ...] = ("lead",),
            measures: tuple[str, ...] = ("level_accuracy", "half_level_accuracy", "primary_accuracy", "mae")) -> pl.DataFrame:
    """Scores of several forecasts side by side per ``by``: ``<name>_<measure>`` columns."""
    out = None
    for name, frame in scored.items():
        part = frame.select(*by, *[pl.col(m).alias(f"{name}_{m}") for m in measures if m in frame.columns])
        out = part if out is None else out.join(part, on=list(by), how="full", coalesce=True)
    return out.sort(list(by)) if out is not None else pl.DataFrame()


def _primary_text(frame: pl.DataFrame) -> pl.Expr:
    return pl.col("primary_pollutants").list.eval(pl.element().str.replace(r"^O3_.*", "O3")).list.unique(
        maintain_order=True).list.join("、").alias("primary")


def persistence(observed: pl.DataFrame, forecasts: pl.DataFrame, *, key: str | None = None) -> pl.DataFrame:
    """The persistence forecast for the rows (place, issued, day, lead) of ``forecasts``: the
    observed AQI and primary pollutants of the issue day, for every lead."""
    key = _key(forecasts, key)
    rows = forecasts.select(key, "issued", "day", *(["lead"] if "lead" in forecasts.columns else [])).unique()
    obs = observed.select(key, pl.col("date").alias("issued"), pl.col("aqi").cast(pl.Int64),
                          _primary_text(observed) if "primary_pollutants" in observed.columns else pl.lit(None, pl.String).alias("primary"))
    return rows.join(obs, on=[key, "issued"], how="inner").filter(pl.col("aqi").is_not_null())


def climatology(history: pl.DataFrame, forecasts: pl.DataFrame, *, key: str | None = None, window: int = 7,
                edition: str = "auto") -> pl.DataFrame:
    """The climatological forecast for the rows of ``forecasts``: per place, the mean daily
    concentration of each pollutant over the ``history`` days within ``window`` days of the target's
    day of year (circular, any year), indexed by hj633 (:func:`~gongjian.analytics.forecast.aqi_of`)."""
    key = _key(forecasts, key)
    rows = forecasts.select(key, "issued", "day", *(["lead"] if "lead" in forecasts.columns else [])).unique()
    present = [p for p in POLLUTANTS if p in history.columns]
    hist = history.select(key, pl.col("date").dt.ordinal_day().cast(pl.Int32).alias("_doy"), *present)
    days = pl.DataFrame({"_target_doy": list(range(1, 367))}, schema={"_target_doy": pl.Int32})
    means = (hist.join(days, how="cross")
             .with_columns(((pl.col("_doy") - pl.col("_target_doy")).abs()).alias("_d"))
             .filter(pl.min_horizontal(pl.col("_d"), 366 - pl.col("_d")) <= window)
             .group_by(key, "_target_doy").agg(pl.col(p).mean() for p in present))
    out = rows.with_columns(pl.col("day").dt.ordinal_day().cast(pl.Int32).alias("_target_doy")).join(
        means, on=[key, "_target_doy"], how="inner").drop("_target_doy")
    out = out.with_columns(round_half_even_expr(pl.col(p), hj663.DECIMALS.get(p, 0)) for p in present)
    out = aqi_of(out, "day", edition)
    return out.with_columns(_primary_text(out)).select(*rows.columns, "aqi", "primary", *present)
