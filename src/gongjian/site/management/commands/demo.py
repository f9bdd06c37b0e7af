from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongjian import clock
from gongjian.demo import AS_OF, build
from gongjian.demo.builder import DEFAULT_SEED
from gongjian.regions.models import Region

#: ``--clock``: run the site as of the demo's own moment (recorded beside the database), or in real time.
CLOCKS = ("demo", "off")


class Command(BaseCommand):
    help = ("Build the deterministic demo world (Zhengzhou and its Henan peers) into an empty database, and record "
            "its own moment (2020-12-31 23:30) beside the database so that the site runs as of then.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
        parser.add_argument("--clock", dest="demo_clock", choices=CLOCKS, default="demo",
                            help="demo: serve as of the demo's own moment (default); off: real time (delete "
                                 "<GONGJIAN_HOME>/demo-as-of later for the same)")

    def handle(self, *args, seed, demo_clock, **options):
        if Region.objects.exists():
            raise CommandError("the database already holds regions; the demo is built into an empty database only")
        build(seed=seed, progress=self.stdout.write)
        self.stdout.write(record_demo_clock(demo_clock == "demo"))


def record_demo_clock(on: bool) -> str:
    """Record the demo's moment beside the database (or remove the record), and say so: the settings
    read it at the next start (``GONGJIAN_AS_OF`` still wins; ``GONGJIAN_AS_OF=off`` runs in real time)."""
    path = settings.GONGJIAN_AS_OF_FILE
    clock.record_as_of(path, clock.attach(AS_OF) if on else None)
    if not on:
        return "the site runs in real time (no demo clock recorded)"
    return (f"the site runs as of {AS_OF:%Y-%m-%d %H:%M} Beijing time, the demo's own moment (recorded in {path}; "
            f"delete that file, or set GONGJIAN_AS_OF=off, to run in real time)")
