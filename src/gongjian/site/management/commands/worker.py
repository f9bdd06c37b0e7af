from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the job worker (scheduled and queued jobs: daily results, recomputation after corrections)."

    def handle(self, *args, **options):
        call_command("qcluster")
