import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Serve the platform with gunicorn (threaded workers), not Django's development server, with the job "
            "worker beside it as a process of its own (--no-worker to run it elsewhere).")

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port (default %(default)s)")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")

    def handle(self, *args, bind, workers, threads, no_worker, **options):
        children = []
        if not no_worker:
            children.append(subprocess.Popen([sys.executable, "-m", "gongjian.cli", "worker"]))
            self.stdout.write(f"job worker started (pid {children[0].pid})")
        self.stdout.write(f"serving on http://{bind}/ (Ctrl-C stops)")
        self.stdout.flush()
        server = subprocess.Popen([
            sys.executable, "-m", "gunicorn", "gongjian.site.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--threads", str(threads),
            "--access-logfile", "-", "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ])
        children.append(server)

        def stop(signum, frame):
            # serve's children stop with it, whether it gets Ctrl-C or a SIGTERM from a supervisor
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            server.wait()
        finally:
            stop(None, None)
            for child in children:
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
