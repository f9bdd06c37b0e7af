"""`gongjian air daily|annual|rank|forecast verify|normalise`: the air-quality engine on files, for analysts and for our checks."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from gongjian.air.cli_options import add_layout_arguments, layout_from_options
from gongjian.air.forecast_cli import add_forecast_parser, verify_forecasts
from gongjian.air.hourly_io import read_hourly
from gongjian.air.normalise_cli import add_normalise_parser, run_normalise
from gongjian.analytics.airquality import assign_periods, daily_aqi, period_evaluation
from gongjian.analytics.ranking import RANKINGS, improvement, rank
from gongjian.core.exports import write_table
from gongjian.core.problems import InvalidInput
from gongjian.periods import Period
from gongjian.standards.hj663 import PERCENTILES, spatial_mean

DAILY_COLUMNS = [
    "station", "date", "so2", "no2", "co", "o3_1h_max", "o3_8h_max", "pm10", "pm25",
    "iaqi_so2", "iaqi_no2", "iaqi_co", "iaqi_o3_1h", "iaqi_o3_8h", "iaqi_pm10", "iaqi_pm25",
    "aqi", "level", "category", "colour", "primary_pollutants", "exceeding_pollutants", "aqi_complete", "edition",
    "hours_so2", "hours_no2", "hours_co", "hours_o3", "hours_pm10", "hours_pm25", "windows_o3_8h", "invalid",
]
STATISTICS = ["so2", "no2", "pm10", "pm25", "co_p95", "o3_8h_p90", *[p for p in PERCENTILES if p not in ("co_p95", "o3_8h_p90")]]


class Command(BaseCommand):
    help = "Evaluate hourly air-quality files: daily AQI, annual statistics, rankings (HJ 633, HJ 663)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("daily", "one row per station and day"), ("annual", "one row per station and year"),
                           ("rank", "rank stations (or regions) over a period")):
            p = sub.add_parser(name, help=text)
            p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="CSV or Excel files")
            p.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.xlsx")
            p.add_argument("--edition", choices=["auto", "2012", "2026"], default="auto")
            add_layout_arguments(p)
            if name == "annual":
                p.add_argument("--year", type=int, required=True)
            if name == "rank":
                p.add_argument("--from", dest="start", type=dt.date.fromisoformat, required=True)
                p.add_argument("--to", dest="end", type=dt.date.fromisoformat, required=True)
                p.add_argument("--by", choices=list(RANKINGS), default="composite")
                p.add_argument("--baseline-from", type=dt.date.fromisoformat)
                p.add_argument("--baseline-to", type=dt.date.fromisoformat)
                p.add_argument("--regions", type=Path, metavar="FILE.csv",
                               help="station,region membership: rank regions from their stations' hourly data")
        add_forecast_parser(sub)  # forecast verify (gongjian.air.forecast_cli)
        add_normalise_parser(sub)  # normalise (gongjian.air.normalise_cli)

    _forecast = verify_forecasts  # `air forecast verify`: the observed files are the inputs

    def progress(self, message: str) -> None:
        self.stderr.write(f"[{time.monotonic() - self.started:6.1f} s] {message}")

    def handle(self, *args, action, inputs, out, **options):
        self.started = time.monotonic()
        if out.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("--out must end in .csv or .xlsx")
        for path in inputs:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        if action == "normalise":  # reads air and weather itself (gongjian.air.normalise_cli)
            return run_normalise(self, inputs, out, options)
        layout = layout_from_options(options)
        self.progress(f"reading {len(inputs)} file(s)")
        try:
            hourly = read_hourly(inputs, layout)
        except InvalidInput as exc:
            shown = exc.problems[:200]
            for problem in shown:
                self.stderr.write(str(problem))
            if len(exc.problems) > len(shown):
                self.stderr.write(f"... and {len(exc.problems) - len(shown)} more")
            raise CommandError(f"{len(exc.problems)} problem(s) in the input; nothing was written") from exc
        self.progress(f"{hourly.height:,} station-hours from {hourly['station'].n_unique()} station(s)")
        result = getattr(self, f"_{action}")(hourly, **options)
        self._write(result, out)
        self.progress(f"wrote {result.height:,} rows to {out}")

    def _daily(self, hourly, edition, **_):
        self.progress(f"daily values and AQI (edition {edition})")
        daily = daily_aqi(hourly, edition).rename({"o3_1h": "o3_1h_max", "o3_8h": "o3_8h_max"})
        if "exceeding_pollutants" not in daily.columns:
            daily = daily.with_columns(pl.lit(None, dtype=pl.List(pl.String)).alias("exceeding_pollutants"))
        if "iaqi_o3_1h" not in daily.columns:
            daily = daily.with_columns(pl.lit(None, dtype=pl.Int64).alias("iaqi_o3_1h"))
        return daily.select(DAILY_COLUMNS)

    def _annual(self, hourly, edition, year, **_):
        self.progress(f"daily values and AQI (edition {edition})")
        daily = daily_aqi(hourly.filter(pl.col("time").dt.year() == year), edition)
        if daily.is_empty():
            raise CommandError(f"no data in {year}")
        self.progress("annual statistics")
        stats = period_evaluation(assign_periods(daily, "year"), "year", edition=edition)
        return stats.with_columns(pl.col("period").cast(pl.Int32).alias("year")).select(
            "station", "year", *STATISTICS, "valid_days", "good_days", "good_ratio", "heavy_days", "heavy_ratio",
            "composite_index", "index_primary", "attainment", *[c for c in stats.columns if c.startswith("attain_")],
            "edition", "calendar_days", *[f"days_{s}" for s in STATISTICS], *[f"capture_{s}" for s in STATISTICS],
            *[f"valid_{s}" for s in STATISTICS])

    def _evaluate(self, hourly, edition, start, end, regions):
        key = "station"
        if regions is not None:
            membership = pl.read_csv(regions, infer_schema=False)
            if not {"station", "region"} <= set(membership.columns):
                raise CommandError(f"{regions.name}: needs columns station,region")
            hourly = spatial_mean(hourly, membership).collect()
            key = "region"
        lo = dt.datetime.combine(start, dt.time())
        hi = dt.datetime.combine(end, dt.time(23))
        daily = daily_aqi(hourly.filter(pl.col("time").is_between(lo, hi)), edition, key)
        period = Period.spanning(start, end)
        return period_evaluation(assign_periods(daily, period), period.kind, key, edition), key

    def _rank(self, hourly, edition, start, end, by, baseline_from, baseline_to, regions, **_):
        if end < start:
            raise CommandError("--to is before --from")
        if by == "improvement" and not (baseline_from and baseline_to):
            raise CommandError("--by improvement needs --baseline-from and --baseline-to")
        self.progress(f"statistics {start}..{end}")
        stats, key = self._evaluate(hourly, edition, start, end, regions)
        if by == "improvement":
            self.progress(f"baseline {baseline_from}..{baseline_to}")
            base, _ = self._evaluate(hourly, edition, baseline_from, baseline_to, regions)
            stats = improvement(stats, base, key)
        ranked = rank(stats, by)
        columns = ["rank", key, "period", "composite_index", "index_primary", *STATISTICS[:6], "good_ratio",
                   "valid_days", "heavy_days", *(["baseline_composite_index", "improvement"] if by == "improvement" else []),
                   "edition", "calendar_days", *[f"capture_{s}" for s in STATISTICS[:6]]]
        return ranked.select(columns)

    def _write(self, frame: pl.DataFrame, out: Path) -> None:
        """Write atomically: a temporary file in the same folder, renamed when complete."""
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=out.suffix)
        os.close(fd)
        try:
            write_table(frame, Path(tmp))  # the one spreadsheet writer: text cells stay text
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run as `gongjian air ...`")
