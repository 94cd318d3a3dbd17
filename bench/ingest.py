"""Ingestion benchmark: N local feeds whose items need their article pages, served by a separate
process on 127.0.0.1, ingested by the real pipeline into a fresh SQLite database.

Prints articles per second (wall) and per CPU-second of the ingesting process, next to the extractor
alone on the same pages in the same run; 304 fetches per second against the same server; and the peak
resident memory of the ingesting process.
"""

from __future__ import annotations

import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

FEEDS = 40
ITEMS_PER_FEED = 15
WORDS = (
    "council harbour river storm minister budget school hospital station bridge market festival election "
    "report village engineers volunteers rainfall museum library teachers nurses drivers farmers workers "
    "plans opened closed announced approved delayed rebuilt inspected measured counted welcomed warned "
    "morning evening season winter summer spring autumn county coast valley hills island district region"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 18))]
    return " ".join(words).capitalize() + "."


def _page(rng: random.Random, title: str) -> str:
    paragraphs = "".join(
        f"<p>{' '.join(_sentence(rng) for _ in range(4))}</p>" for _ in range(rng.randint(5, 9))
    )
    menu = "".join(f'<li><a href="/s/{w}">{w}</a></li>' for w in WORDS[:12])
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | Bench Daily</title>"
        f"<meta name='author' content='Bench Writer'></head>"
        f"<body><header><ul class='menu'>{menu}</ul></header>"
        f"<main><article><h1>{title}</h1>{paragraphs}</article><aside class='related'><ul>{menu}</ul></aside>"
        "</main><footer><p>Bench Daily, all rights reserved. Contact us. Privacy.</p></footer></body></html>"
    )


def build_site(root: Path, port: int) -> list[Path]:
    """Write feeds and pages under root; returns the page files (for the extractor-alone run)."""
    rng = random.Random(1234)
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    pages = []
    for f in range(FEEDS):
        items = []
        for i in range(ITEMS_PER_FEED):
            title = f"{_sentence(rng)[:-1]} {f}-{i}"
            page = root / "p" / f"{f}-{i}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_page(rng, title), encoding="utf-8")
            pages.append(page)
            when = format_datetime(now - timedelta(minutes=7 * i + f))
            link = f"http://127.0.0.1:{port}/p/{f}-{i}.html"
            items.append(
                f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid><pubDate>{when}</pubDate>"
                f"<description>{_sentence(rng)} Read more</description></item>"
            )
        feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Bench {f}</title><link>http://127.0.0.1:{port}/</link>{''.join(items)}</channel></rss>"
        (root / "f").mkdir(exist_ok=True)
        (root / "f" / f"{f}.xml").write_text(feed, encoding="utf-8")
    return pages


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(args: object) -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="cupure-bench-"))
    port = _free_port()
    pages = build_site(work / "site", port)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(work / "site"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.8)
        child = subprocess.run(
            [sys.executable, "-m", "bench.ingest_child", str(port), str(work / "data")],
            capture_output=True,
            text=True,
            timeout=900,
            env={
                **os.environ,
                "CUPURE_DATA_DIR": str(work / "data"),
                "CUPURE_FETCH_ALLOW_CIDRS": "127.0.0.0/8",
            },
        )
        if child.returncode != 0:
            return [f"ingest: child failed: {child.stderr[-2000:]}"]
        lines = child.stdout.strip().splitlines()
    finally:
        server.terminate()
        server.wait()
    lines.append(_extractor_alone(pages))
    return lines


def _extractor_alone(pages: list[Path]) -> str:
    from cupure.pipeline.extract import extract_article

    started_cpu = time.process_time()
    for page in pages:
        extract_article(page.read_bytes(), url="http://127.0.0.1/p.html")
    cpu = time.process_time() - started_cpu
    return (
        f"ingest: extractor alone on the same {len(pages)} pages: {len(pages) / cpu:.1f} pages per CPU-second"
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
