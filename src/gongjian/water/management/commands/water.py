"""`gongjian water classify FILES --out OUT [--period month|quarter|year]`: section classes against
GB 3838-2002 on sample files, for analysts and for our checks.

OUT (``.csv`` or ``.xlsx``) gets one row per section and period: ``section, kind, period, class``
(``I``..``V`` or ``劣V``; empty: no evaluated item measured), ``status`` (优 .. 重度污染), ``target``,
``meets_target``, ``items_above_target`` (``总磷 0.45倍; 氨氮 0.20倍``, worst class first; pH and DO
named without a multiple). The rates of the whole file go to a second file beside it,
``<OUT without suffix>.rates<suffix>`` (``out.csv`` → ``out.rates.csv``): one row per period and a
last row ``all`` over every section-period: sections evaluated, at Ⅲ or better and their share (%),
worse than Ⅴ and their share, with a target, meeting it and the attainment rate (%).

Bad rows are listed on stderr (file, row, column) and nothing is written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from gongjian.analytics.waterquality import rates, section_periods
from gongjian.core.exports import write_table
from gongjian.core.problems import InvalidInput
from gongjian.standards import gb3838
from gongjian.water.samples_io import read_samples

CLASSIFY_COLUMNS = ["section", "kind", "period", "class", "status", "target", "meets_target", "items_above_target"]
RATE_COLUMNS = ["period", "sections", "iii_or_better", "share_iii_or_better", "worse_than_v", "share_worse_than_v",
                "with_target", "meeting_target", "attainment"]


def rates_path(out: Path) -> Path:
    """Where the rates of ``out`` go: ``out.csv`` → ``out.rates.csv``."""
    return out.with_name(f"{out.stem}.rates{out.suffix}")


class Command(BaseCommand):
    help = "Evaluate surface-water sample files against GB 3838-2002 (section classes, targets, rates)."
    requires_system_checks = []  # works on files only: no database, no pages

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("classify", help="one row per section and period, and the rates of the file")
        p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="CSV or Excel files")
        p.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.xlsx (rates: FILE.rates.csv)")
        p.add_argument("--period", choices=["month", "quarter", "year"], default="month")

    def handle(self, *args, action, inputs, out, period, **options):
        if out.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("--out must end in .csv or .xlsx")
        for path in inputs:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        try:
            samples = read_samples(inputs)
        except InvalidInput as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{exc.count} problem(s) in the input; nothing was written") from exc
        if samples.is_empty():
            raise CommandError("no samples in the input; nothing was written")
        evaluated = section_periods(samples, period)
        table = evaluated.select(
            "section", "kind", "period", pl.col("class_code").alias("class"), "status",
            pl.col("target").replace_strict(gb3838.CLASS_CODES, default=None, return_dtype=pl.String).alias("target"),
            "meets_target", pl.col("above_target_text").alias("items_above_target")).select(CLASSIFY_COLUMNS)
        per_period = rates(evaluated, by=("period", "period_start")).drop("period_start")
        overall = rates(evaluated, by=()).with_columns(pl.lit("all").alias("period"))
        summary = pl.concat([per_period.select(RATE_COLUMNS), overall.select(RATE_COLUMNS)], how="vertical_relaxed")
        self._write({out: table, rates_path(out): summary})
        self.stderr.write(f"{samples.height:,} samples, {evaluated.height:,} section-periods → {out}, {rates_path(out)}")

    def _write(self, files: dict[Path, pl.DataFrame]) -> None:
        """Write every file or none: temporary files in the same folder, renamed when all are complete."""
        written: list[tuple[str, Path]] = []
        try:
            for path, frame in files.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
                os.close(fd)
                written.append((tmp, path))
                write_table(frame, Path(tmp))
            for tmp, path in written:
                os.replace(tmp, path)
        except BaseException:
            for tmp, _path in written:
                Path(tmp).unlink(missing_ok=True)
            raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run as `gongjian water classify ...`")
