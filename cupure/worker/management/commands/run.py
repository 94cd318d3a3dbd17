"""cupure run: web + worker + scheduler in one process group (what `make demo` ends in)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from cupure.worker.management.commands._migrate import ensure_migrated
from cupure.worker.management.commands.serve import gunicorn_argv


class Command(BaseCommand):
    help = "Run the web server and the worker (with its scheduler) together until interrupted."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated()
        web = subprocess.Popen(gunicorn_argv(options["host"], options["port"]))
        worker = subprocess.Popen([sys.executable, "-m", "cupure.cli", "worker"])
        self.stdout.write(
            f"cupure is running at http://{options['host']}:{options['port']}/  (Ctrl-C stops it)"
        )
        self.stdout.flush()
        children = [web, worker]

        def stop(*_: object) -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
