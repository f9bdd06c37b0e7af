"""``gongjian monitoring ingest|check``: read stored HJ 212 packets into series; run the compliance
checks over a period and keep what they find as alarms."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from gongjian import clock
from gongjian.regions.models import Region
from gongjian.sources import checks
from gongjian.sources.ingest import IngestResult, ingest


class Command(BaseCommand):
    help = "Online monitoring: ingest stored packets into time series; run the compliance checks."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("ingest", help="read stored packets into time series (once, or --follow)")
        p.add_argument("--follow", type=float, default=None, metavar="SECONDS",
                       help="keep going, looking for new packets every SECONDS")
        p = sub.add_parser("check", help="run the source rules over a period and record alarms")
        p.add_argument("--region", required=True, help="division code of the region (e.g. 410100)")
        p.add_argument("--from", dest="start", required=True, help="YYYY-MM-DDTHH:MM, Beijing time")
        p.add_argument("--to", dest="end", required=True, help="YYYY-MM-DDTHH:MM, Beijing time (not included)")
        p.add_argument("--resolution", choices=["m", "h"], default="m", help="minute (default) or hourly data")

    def handle(self, *args, action, **options):
        if action == "ingest":
            self._ingest(options["follow"])
        else:
            self._check(options)

    def _ingest(self, follow: float | None) -> None:
        def report(result: IngestResult) -> None:
            self.stdout.write(f"  {result.packets} packets read: {result.samples} samples, {result.air_hours} "
                              f"station hours, {result.readings} meter readings, {result.unusable} unusable, "
                              f"{result.waiting} split parts waiting")

        while True:
            result = ingest(progress=report)
            if result.packets:
                reasons = ", ".join(f"{k}: {v}" for k, v in result.reasons.items())
                self.stdout.write(self.style.SUCCESS(f"{result.packets} packets ingested") +
                                  (f" (unusable: {reasons})" if reasons else ""))
            if follow is None:
                return
            time.sleep(follow)

    def _check(self, options) -> None:
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"no region with the code {options['region']!r}")
        try:
            start, end = (dt.datetime.fromisoformat(options[k]) for k in ("start", "end"))
        except ValueError as exc:
            raise CommandError(f"--from/--to: {exc}") from None
        if end <= start:
            raise CommandError("--to must be after --from")
        found = checks.run_checks(region, start, end, resolution=options["resolution"], now=clock.now())
        self.stdout.write(self.style.SUCCESS(f"{found} new alarms for {region.name}, {start:%Y-%m-%d %H:%M} to "
                                             f"{end:%Y-%m-%d %H:%M}"))
