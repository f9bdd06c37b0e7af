import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from gongjian.core import schedules
from gongjian.demo import build
from gongjian.regions.models import Region

from .demo import record_demo_clock
from .serve import default_bind


class Command(BaseCommand):
    help = ("Prepare a site: migrate, collect static files, build the demo city if the database is empty, "
            "and create an administrator (its password is printed once, here, and stored nowhere).")

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="do not build the demo world")
        parser.add_argument("--bind", default=default_bind(),
                            help="the address `gongjian serve` will be given, to print where to sign in "
                                 "(default %(default)s, as serve's)")

    def handle(self, *args, no_demo, bind, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database migrated")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("static files collected")
        demo_people = []
        if not no_demo and not Region.objects.exists():
            demo_people = build(progress=self.stdout.write).people
            self.stdout.write(record_demo_clock(True))
        scheduled = schedules.sync()
        self.stdout.write(f"{len(scheduled)} periodic jobs scheduled (`gongjian serve` runs them in its job worker)")
        if get_user_model().objects.filter(is_superuser=True).exists():
            self.stdout.write("an administrator exists already; credentials are not shown again")
            return
        password, passwords = issue_credentials(demo_people)
        lines = ["", "=" * 72, f"Sign in at {sign_in_url(bind)} (shown once, stored nowhere):",
                 f"  administrator   admin / {password}"]
        if demo_people:
            lines.append("  demo accounts, one per role, each with its own password:")
            lines += [f"    {p.username:<14} {passwords[p.pk]}  {p.get_role_display()} · {p.jurisdiction}"
                      for p in demo_people]
        lines.append("Change a password after signing in: /password_change/")
        lines.append("=" * 72)
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))


def sign_in_url(bind: str) -> str:
    """Where a browser reaches a server bound to ``bind`` (host:port): a wildcard host listens on every
    address of the machine, this one's included."""
    host, _, port = bind.rpartition(":")
    if host in ("0.0.0.0", "::", "[::]", ""):
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


@transaction.atomic
def issue_credentials(people) -> tuple[str, dict[int, str]]:
    """The administrator, and a random password of its own for each of ``people`` (the demo accounts):
    an account handed to an enterprise or a public reviewer must open no other, least of all the
    administrator's. Returns the administrator's password and each person's, to be shown once."""
    password = secrets.token_urlsafe(12)
    get_user_model().objects.create_superuser("admin", password=password, first_name="管理员")
    passwords = {}
    for person in people:
        passwords[person.pk] = secrets.token_urlsafe(12)
        person.set_password(passwords[person.pk])
        person.save(update_fields=["password"])
    return password, passwords
