"""``gongjian import KIND FILES...``: the kinds are declared by the apps that own the data
(:mod:`gongjian.core.cli_imports`); this command only reads the arguments and reports problems."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongjian.core.cli_imports import import_kinds
from gongjian.core.problems import InvalidInput


class Command(BaseCommand):
    help = ("Import data from files: `gongjian import regions FILE.csv`, `gongjian import boundaries FILE.geojson`, "
            "`gongjian import air --source NAME FILES...`; `gongjian import KIND --help` for a kind's options.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        for kind in import_kinds().values():
            command = sub.add_parser(kind.name, help=kind.help)
            if kind.several_files:
                command.add_argument("files", nargs="+", type=Path)
            else:
                command.add_argument("file", type=Path)
            kind.add_arguments(command)

    def handle(self, *args, kind, **options):
        files = options.get("files") or [options["file"]]
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        try:
            done = import_kinds()[kind].run(files, options)
        except InvalidInput as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was saved") from exc
        self.stdout.write(self.style.SUCCESS(done))
