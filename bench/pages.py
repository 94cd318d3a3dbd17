"""Page serving: gunicorn on 127.0.0.1 (pinned to one core when taskset exists), wrk on the other.

Builds a throw-away SQLite data folder with N synthetic articles (``bench.newsgen``: events reported
by several sources in their own words), stored through ``article_ingest`` and enriched as the worker
does (keywords, stories, the pair-score snapshot), then measures, each for ``--seconds`` with 64 connections:

* a static file of the same size as the article page, served by whitenoise from the same server;
* the article page from the anonymous page cache (one URL);
* the article page uncached (the page cache switched off, one URL);
* article pages uncached, every request a different article (rotating over all of them).

Needs no --data (the articles are generated). Run: ``python -m bench --only pages``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CONNECTIONS = 64
SOURCES = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CUPURE_TESTING")}
    env.update(
        CUPURE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="cupure.settings", CUPURE_LOG_LEVEL="ERROR"
    )
    env.update(extra)
    return env


def _pin(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []


def _setup(count: int) -> None:
    """In a child process: migrate, generate the articles, collect static files, copy a page's size."""
    import django

    django.setup()
    import hashlib
    from datetime import timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from bench.newsgen import reports
    from cupure.articles.models import Article, Section
    from cupure.articles.services import ArticleInput, EntryInput, article_ingest
    from cupure.sources.models import Source
    from cupure.stories.services.pair_idf import pair_idf_refresh
    from cupure.worker.enrich import article_enrich

    sections = {
        s: Section.objects.get_or_create(slug=s, defaults={"name": s.title()})[0]
        for s in ("world", "business", "sport", "technology")
    }
    sources = [
        Source.objects.create(
            name=f"Bench Wire {i}",
            slug=f"bench-wire-{i}",
            feed_url=f"https://bench{i}.example/feed.xml",
            site_url=f"https://bench{i}.example/",
        )
        for i in range(SOURCES)
    ]
    now = timezone.now()
    for n, report in enumerate(reports(count, sources=SOURCES)):
        index = (report.event + report.nth) % SOURCES  # one event's reports come from different sources
        source = sources[index]
        url = f"https://bench{index}.example/news/{n}"
        result = article_ingest(
            source_id=source.id,
            entry=EntryInput(key_kind="url", key_hash=hashlib.sha256(url.encode()).hexdigest(), url=url),
            data=ArticleInput(
                url=url,
                title=report.title,
                body_html="".join(f"<p>{p}</p>" for p in report.paragraphs),
                author="Bench Writer",
                published_at=now - timedelta(minutes=count - n),
                language="en",
            ),
            now=now,
        )
        Article.objects.filter(id=result.article_id).update(section=sections[report.section])
        # What the worker does after ingestion: keywords, section, story and near-duplicate signature.
        article_enrich(article_id=result.article_id)
    pair_idf_refresh()
    call_command("collectstatic", interactive=False, verbosity=0)
    # The single-URL runs read an article whose story has several sources (the page's heaviest case).
    first = (
        Article.objects.filter(story__source_count__gte=3).order_by("id").first() or Article.objects.first()
    )
    body = Client(HTTP_HOST="127.0.0.1").get(first.get_absolute_url()).content  # type: ignore[union-attr]
    static_copy = Path(settings.STATIC_ROOT) / "bench" / "page-copy.html"
    static_copy.parent.mkdir(parents=True, exist_ok=True)
    static_copy.write_bytes(body)
    paths = [a.get_absolute_url() for a in Article.objects.order_by("id")]
    (Path(settings.DATA_DIR) / "bench-paths.txt").write_text("\n".join(paths), encoding="utf-8")
    print(f"{count} articles; article page {len(body)} bytes", file=sys.stderr)


class Server:
    def __init__(self, data_dir: Path, **env: str) -> None:
        self.port = _free_port()
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(PYTHON)) or "gunicorn"
        argv = [
            *_pin(0),
            gunicorn,
            "cupure.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            "--workers=1",
            "--threads=4",
            "--worker-class=gthread",
            "--access-logfile=/dev/null",
            "--log-level=error",
        ]
        self.process = subprocess.Popen(argv, cwd=ROOT, env=_env(data_dir, **env))
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _wrk(url: str, seconds: float, script: Path | None = None) -> dict[str, Any]:
    argv = [
        *_pin(1),
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    if script is not None:
        argv += ["-s", str(script)]
    out = subprocess.run([*argv, url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p99_ms": float(p99.group(1)) * factor[p99.group(2)] if p99 else float("nan"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def _line(label: str, result: dict[str, Any], size: int) -> str:
    errors = f", {result['errors']} non-2xx" if result["errors"] else ""
    return (
        f"{label:<44} {result['rps']:>9.0f} req/s   p99 {result['p99_ms']:>7.1f} ms   ({size} bytes{errors})"
    )


def run(args: Any) -> list[str]:
    if not shutil.which("wrk"):
        return ["pages: skipped (wrk is not installed)"]
    seconds = float(getattr(args, "seconds", 10.0))
    count = int(getattr(args, "articles", 2000))
    work = Path(tempfile.mkdtemp(prefix="cupure-bench-pages-"))
    try:
        print(f"pages: generating {count} articles in {work} ...", file=sys.stderr, flush=True)
        subprocess.run(
            [PYTHON, "-m", "bench.pages", "setup", str(count)], cwd=ROOT, env=_env(work), check=True
        )
        paths = (work / "bench-paths.txt").read_text(encoding="utf-8").split("\n")
        article_path = paths[0]
        script = work / "rotate.lua"
        listed = ",".join(f'"{p}"' for p in paths)
        script.write_text(
            f"local paths = {{{listed}}}\nlocal i = 0\n"
            "request = function()\n  i = i + 1\n  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n",
            encoding="utf-8",
        )
        size = (work / "static" / "bench" / "page-copy.html").stat().st_size
        pinned = "gunicorn pinned to core 0, wrk to core 1" if _pin(0) else "no taskset: unpinned"
        lines = [
            f"{count} synthetic articles, SQLite, file cache; 1 worker x 4 threads; {pinned}; "
            f"{CONNECTIONS} connections, {seconds:.0f} s per run"
        ]
        server = Server(work)
        try:
            urllib.request.urlopen(
                server.base + article_path
            ).read()  # warm: the first request fills the cache
            lines.append(
                _line(
                    "static file of the same size (whitenoise)",
                    _wrk(server.base + "/static/bench/page-copy.html", seconds),
                    size,
                )
            )
            lines.append(
                _line("article page, page cache hit", _wrk(server.base + article_path, seconds), size)
            )
        finally:
            server.stop()
        server = Server(work, CUPURE_PAGE_CACHE_SECONDS="0")
        try:
            lines.append(
                _line(
                    "article page, uncached (same article)", _wrk(server.base + article_path, seconds), size
                )
            )
            lines.append(
                _line(
                    f"article pages, uncached ({len(paths)} rotating)",
                    _wrk(server.base, seconds, script),
                    size,
                )
            )
        finally:
            server.stop()
        return lines
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__" and sys.argv[1:2] == ["setup"]:
    _setup(int(sys.argv[2]))
