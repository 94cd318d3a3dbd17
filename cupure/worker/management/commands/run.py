"""cupure run: web + worker + scheduler in one process group (what `make demo` ends in)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cupure.worker.management.commands._migrate import ensure_migrated
from cupure.worker.management.commands.serve import gunicorn_argv


class Command(BaseCommand):
    help = "Run the web server and the worker (with its scheduler) together until interrupted."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args: Any, **options: Any) -> None:
        require_free_port(options["host"], options["port"])
        ensure_migrated()
        env = children_env(os.environ, options["host"], options["port"])
        web = subprocess.Popen(gunicorn_argv(options["host"], options["port"]), env=env)
        worker = subprocess.Popen([sys.executable, "-m", "cupure.cli", "worker"], env=env)
        self.stdout.write(
            f"cupure is running at http://{options['host']}:{options['port']}/  (Ctrl-C stops it)"
        )
        self.stdout.flush()
        children = [web, worker]

        interrupted = False

        def stop() -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        def on_sigterm(*_: object) -> None:
            nonlocal interrupted
            interrupted = True
            stop()

        signal.signal(signal.SIGTERM, on_sigterm)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            stopped = [
                (name, child.returncode)
                for name, child in (("web server", web), ("worker", worker))
                if child.returncode not in (None, 0)
            ]
            stop()
            for child in children:
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
        if stopped and not interrupted:  # one of them ended on its own: say so, and fail
            name, code = stopped[0]
            raise CommandError(f"the {name} stopped (exit status {code}); its log is above")


def children_env(environ: Mapping[str, str], host: str, port: int) -> dict[str, str]:
    """The environment of the web server and the worker: the site's own address defaults to where it
    listens, so that canonical links, feeds and sitemaps point at this port (``PORT=8123 make demo``)
    rather than at the 8000 of the zero-config default. A set CUPURE_SITE_URL is kept."""
    env = dict(environ)
    if not env.get("CUPURE_SITE_URL"):
        shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host  # noqa: S104 (a comparison)
        shown = f"[{shown}]" if ":" in shown else shown
        env["CUPURE_SITE_URL"] = f"http://{shown}:{port}"
    return env


def require_free_port(host: str, port: int) -> None:
    # Otherwise gunicorn retries, gives up after a few lines of log, and the worker stops with it.
    if not port_is_free(host, port):
        raise CommandError(
            f"port {port} on {host} is already in use (another cupure, or another server): "
            f"stop it, or choose another port, e.g. PORT={port + 1} make demo"
        )


def port_is_free(host: str, port: int) -> bool:
    """Whether a server can listen on host:port now (bound the way gunicorn binds, then released)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        return True  # an unknown host name is gunicorn's error to report
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return False
    return True
