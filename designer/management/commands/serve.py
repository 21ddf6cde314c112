"""Serve Stepwright on one machine: the web server and a Celery worker (with beat) side by side.

Ctrl-C stops both. The children run in sessions of their own, so the terminal's SIGINT reaches only this
process, which then stops them in order (SIGTERM, then SIGKILL if they linger). Letting SIGINT hit gunicorn's
workers directly races with the master respawning them, and can leave an orphan behind.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server and a Celery worker until interrupted."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=os.environ.get("STEPWRIGHT_BIND", "127.0.0.1:8000"))
        parser.add_argument("--concurrency", type=int, default=2, help="Worker processes.")

    def handle(self, *args, bind: str, concurrency: int, **options) -> None:
        bin_dir = os.path.dirname(sys.executable)
        worker = [
            os.path.join(bin_dir, "celery"),
            "-A",
            "config",
            "worker",
            "--beat",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(concurrency),
            "--schedule",
            settings.CELERY_BEAT_SCHEDULE_FILENAME,
        ]
        web = [
            os.path.join(bin_dir, "gunicorn"),
            "config.wsgi",
            "--bind",
            bind,
            "--workers",
            "2",
            "--threads",
            "4",
            "--access-logfile",
            "-",
        ]
        broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"Stepwright on http://{bind}  (database: {database}, broker: {broker}); Ctrl-C stops it.")
        children = [subprocess.Popen(command, start_new_session=True) for command in (worker, web)]
        stopping = False

        def stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.args[0] for child in children if child.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
        if failed and not stopping:
            raise SystemExit(f"stopped because {os.path.basename(failed[0])} exited")
        self.stdout.write("Stopped.")
