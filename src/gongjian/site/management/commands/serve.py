"""``gongjian serve``: gunicorn and the job worker, stopped together within seconds.

Each child runs in a process group of its own, so that stopping it reaches what it started too
(gunicorn's workers, django-q's sentinel, pusher, monitor and workers): on SIGTERM or Ctrl-C every
group gets SIGTERM, and a group still alive after ``GRACE`` seconds gets SIGKILL. A job cut off
that way is retried by django-q (``Q_CLUSTER["retry"]``), as after a power cut.
"""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

#: Seconds the children get to finish after SIGTERM before they are killed.
GRACE = 5.0


def default_bind() -> str:
    """The address serve listens on without ``--bind`` (``GONGJIAN_BIND``, else 127.0.0.1:8000);
    ``setup`` prints the same one."""
    return os.environ.get("GONGJIAN_BIND", "127.0.0.1:8000")


def _alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user took the number: ours are gone
        return False
    return True


def _signal(group: int, signum: int) -> None:
    try:
        os.killpg(group, signum)
    except (ProcessLookupError, PermissionError):
        pass


def stop_all(children: list[subprocess.Popen], grace: float = GRACE) -> None:
    """SIGTERM to every child's group, SIGKILL to those left after ``grace`` seconds, and wait for
    the children (no zombie left behind)."""
    for child in children:
        _signal(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.01))
        except subprocess.TimeoutExpired:
            pass
    # a child may have gone while what it started lingers: the group is what is stopped
    while any(_alive(c.pid) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    for child in children:
        _signal(child.pid, signal.SIGKILL)
        child.wait()


class Command(BaseCommand):
    help = ("Serve the platform with gunicorn (threaded workers), not Django's development server, with the job "
            "worker beside it as a process of its own (--no-worker to run it elsewhere).")

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=default_bind(),
                            help="address:port (default %(default)s, or GONGJIAN_BIND)")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")

    def handle(self, *args, bind, workers, threads, no_worker, **options):
        children = []
        stopping = []

        def stop(signum, frame):
            # serve's children stop with it, whether it gets Ctrl-C or a SIGTERM from a supervisor
            stopping.append(signum)
            for child in children:
                _signal(child.pid, signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            if not no_worker:
                children.append(subprocess.Popen([sys.executable, "-m", "gongjian.cli", "worker"], process_group=0))
                self.stdout.write(f"job worker started (pid {children[0].pid})")
            self.stdout.write(f"serving on http://{bind}/ (Ctrl-C stops)")
            self.stdout.flush()
            children.append(subprocess.Popen([
                sys.executable, "-m", "gunicorn", "gongjian.site.wsgi:application",
                "--bind", bind, "--workers", str(workers), "--threads", str(threads),
                "--access-logfile", "-", "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            ], process_group=0))
            # until a stop signal, or until any child ends by itself (the site is not served without it)
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.2)
        finally:
            stop_all(children)
