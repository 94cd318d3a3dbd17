"""cupure serve [--host H] [--port P]: the web server alone (gunicorn, threaded workers)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
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


def static_fingerprint() -> str:
    """Names, sizes and times of every source static file: it changes when an upgrade changes one."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> None:
    """Hashed, compressed static files for whitenoise, collected again whenever a source file changed.

    Checking only for the manifest would keep serving the old CSS after an upgrade.
    """
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    stamp = settings.STATIC_ROOT / ".cupure-fingerprint"
    fingerprint = static_fingerprint()
    current = stamp.read_text() if stamp.exists() and manifest.exists() else ""
    if current != fingerprint or os.environ.get("CUPURE_COLLECTSTATIC") == "1":
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint)


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
