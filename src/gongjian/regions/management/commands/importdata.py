from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongjian.regions import services
from gongjian.site.problems import InvalidInput


class Command(BaseCommand):
    help = "Import data from files: `gongjian import regions FILE.csv`, `gongjian import boundaries FILE.geojson`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        regions = sub.add_parser("regions", help="regions from CSV: code,name,level,kind,parent_code")
        regions.add_argument("file", type=Path)
        boundaries = sub.add_parser("boundaries", help="GeoJSON outlines matched to regions")
        boundaries.add_argument("file", type=Path)
        boundaries.add_argument("--match-by", choices=["code", "name"], default="code")

    def handle(self, *args, kind, file, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        data = file.read_bytes()
        try:
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
