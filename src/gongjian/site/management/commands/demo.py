from django.core.management.base import BaseCommand, CommandError

from gongjian.demo import build
from gongjian.demo.builder import DEFAULT_SEED
from gongjian.regions.models import Region


class Command(BaseCommand):
    help = "Build the deterministic demo world (Zhengzhou and its Henan peers) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")

    def handle(self, *args, seed, **options):
        if Region.objects.exists():
            raise CommandError("the database already holds regions; the demo is built into an empty database only")
        build(seed=seed, progress=self.stdout.write)
