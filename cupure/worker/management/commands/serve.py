"""cupure serve [--host H] [--port P]: the web server alone (gunicorn, threaded workers)."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cupure.worker.management.commands._migrate import ensure_migrated


def gunicorn_argv(host: str, port: int) -> list[str]:
    collect_static()
    workers = os.environ.get("CUPURE_WEB_WORKERS", "2")
    threads = os.environ.get("CUPURE_WEB_THREADS", "4")
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    return [
        gunicorn,
        "cupure.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--graceful-timeout=20",
        "--access-logfile=-" if os.environ.get("CUPURE_ACCESS_LOG") else "--access-logfile=/dev/null",
    ]


def collect_static() -> None:
    """Hashed, compressed static files for whitenoise; done once per code change."""
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists() or os.environ.get("CUPURE_COLLECTSTATIC") == "1":
        call_command("collectstatic", interactive=False, verbosity=0)


class Command(BaseCommand):
    help = "Serve the site with gunicorn."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated()
        argv = gunicorn_argv(options["host"], options["port"])
        self.stdout.write(f"serving at http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        os.execv(argv[0], argv)
