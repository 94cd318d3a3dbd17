"""Crash injection (SECURITY.md 10.4): the worker is killed with SIGKILL at named points of a fetch.

Each case runs the real `cupure` command in a subprocess against its own SQLite file and a loopback
feed, kills it at the point, then runs it again and checks that nothing was lost or duplicated and
that the source's cursor (ETag) ends up right.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cupure.pipeline.tests.httpfixtures import FixtureHTTPServer
from cupure.sources.tests.newssite import TESTDATA


def cupure(data_dir: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CUPURE_FAULT"}}
    env.update(CUPURE_DATA_DIR=str(data_dir), CUPURE_FETCH_ALLOW_CIDRS="127.0.0.0/8", CUPURE_TESTING="0")
    if fault:
        env["CUPURE_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "cupure.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def counts(data_dir: Path) -> tuple[int, int, str]:
    with sqlite3.connect(data_dir / "cupure.sqlite3") as db:
        articles = db.execute("select count(*) from articles_article").fetchone()[0]
        entries = db.execute("select count(*) from articles_entry").fetchone()[0]
        etag = db.execute("select etag from sources_source").fetchone()[0]
    return articles, entries, etag


@pytest.fixture
def feed_url(http_server: FixtureHTTPServer) -> str:
    body = (TESTDATA / "world.rss").read_bytes()
    return http_server.add(
        "/world.rss", body, headers={"Content-Type": "application/rss+xml", "ETag": '"e1"'}
    )


@pytest.mark.parametrize(
    ("point", "stored_before_restart"),
    [
        ("after_download", 0),
        ("after_parse", 0),
        ("after_insert:1", 2),
        ("before_cursor_update", 3),
        ("after_cursor_update", 3),
    ],
)
def test_a_worker_killed_mid_fetch_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, feed_url: str, point: str, stored_before_restart: int
) -> None:
    added = cupure(tmp_path, "sources", "add", feed_url, "--no-check")
    assert added.returncode == 0, added.stderr

    crashed = cupure(tmp_path, "fetch", "--no-progress", fault=point)
    assert crashed.returncode == -signal.SIGKILL
    articles, entries, etag = counts(tmp_path)
    assert (articles, entries) == (stored_before_restart, stored_before_restart)
    assert etag == ('"e1"' if point == "after_cursor_update" else "")

    # The lease taken by the killed run must not stop the next one for long: expire it as time would.
    with sqlite3.connect(tmp_path / "cupure.sqlite3") as db:
        db.execute("update sources_source set lease_until = null, next_fetch_at = null")
    again = cupure(tmp_path, "fetch", "--no-progress")
    assert again.returncode == 0, again.stderr
    assert counts(tmp_path) == (3, 3, '"e1"')
