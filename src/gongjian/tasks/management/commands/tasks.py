"""``gongjian tasks remind``: remind units of deadlines coming within N days or passed (run daily)."""

from django.core.management.base import BaseCommand

from gongjian.tasks.tracking import remind


class Command(BaseCommand):
    help = "Task ledger: remind the lead and responsible units of deadlines coming or passed."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("remind", help="make the reminders (once per deadline, unit and kind)")
        p.add_argument("--days", type=int, default=7, help="deadlines within this many days (default 7)")

    def handle(self, *args, action, days, **options):
        made = remind(days=days)
        self.stdout.write(self.style.SUCCESS(f"{made} reminders made"))
