from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gongjian.air import services as air_services
from gongjian.air.cli_options import add_layout_arguments, layout_from_options
from gongjian.air.models import SourceLayout
from gongjian.core.problems import InvalidInput
from gongjian.regions import services


class Command(BaseCommand):
    help = ("Import data from files: `gongjian import regions FILE.csv`, `gongjian import boundaries FILE.geojson`, "
            "`gongjian import air --source NAME FILES...`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        regions = sub.add_parser("regions", help="regions from CSV: code,name,level,kind,parent_code")
        regions.add_argument("file", type=Path)
        boundaries = sub.add_parser("boundaries", help="GeoJSON outlines matched to regions")
        boundaries.add_argument("file", type=Path)
        boundaries.add_argument("--match-by", choices=["code", "name"], default="code")
        air = sub.add_parser("air", help="hourly station data (CSV or Excel) into the store")
        air.add_argument("files", nargs="+", type=Path)
        air.add_argument("--source", required=True,
                         help="name of the data source; its layout is remembered for the next import")
        air.add_argument("--preview", action="store_true", help="check and count only; save nothing")
        add_layout_arguments(air)
        met = sub.add_parser("met", help="hourly meteorology (wind, temperature, humidity, pressure, rain)")
        met.add_argument("files", nargs="+", type=Path)
        met.add_argument("--preview", action="store_true", help="check and count only; save nothing")
        add_layout_arguments(met)

    def handle(self, *args, kind, **options):
        files = options["files"] if kind in ("air", "met") else [options["file"]]
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        try:
            if kind == "air":
                self._air(files, options)
                return
            if kind == "met":
                hours = air_services.import_met(files, layout_from_options(options), save=not options["preview"])
                verb = "checked" if options["preview"] else "stored"
                self.stdout.write(self.style.SUCCESS(f"{hours:,} meteorological hours {verb}"))
                return
            file = files[0]
            data = file.read_bytes()
            if kind == "regions":
                done = services.import_regions_csv(data, source=file.name)
                self.stdout.write(self.style.SUCCESS(f"{len(done)} regions added from {file.name}"))
            else:
                done = services.import_boundaries(data, match_by=options["match_by"], source=file.name)
                self.stdout.write(self.style.SUCCESS(f"{len(done)} boundaries attached from {file.name}"))
        except InvalidInput as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was saved") from exc

    def _air(self, files, options):
        # One transaction: a failed import (or a preview) leaves neither data nor a remembered layout.
        with transaction.atomic():
            source, _ = SourceLayout.objects.get_or_create(name=options["source"])
            layout = layout_from_options(options, air_services.layout_for(source))
            source.columns, source.units = layout.columns, layout.units
            source.hour_label, source.time_columns = layout.hour_label, list(layout.time_columns or [])
            source.save()
            result = air_services.import_hourly(files, source, save=not options["preview"])
            if options["preview"]:
                transaction.set_rollback(True)
        verb = "would insert" if options["preview"] else "inserted"
        self.stdout.write(self.style.SUCCESS(
            f"{result.rows:,} station-hours: {verb} {result.inserted:,}, changed {result.changed:,} "
            f"({result.corrections:,} corrections), unchanged {result.unchanged:,}; "
            f"{len(result.findings)} quality finding(s) to review"))
