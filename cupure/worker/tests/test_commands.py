"""The `cupure` commands an operator types, run in-process against real loopback servers."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cupure.articles.models import Article
from cupure.sources.models import Source
from cupure.sources.tests.newssite import NewsSite

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_sources_add_finds_the_feed_linked_from_a_home_page(news_site: NewsSite) -> None:
    news_site.serve("world.rss", "/feeds/world.rss")
    home = news_site.serve("home.html", "/")

    output = run("sources", "add", home, "--section", "World")

    source = Source.objects.get()
    assert source.feed_url.endswith("/feeds/world.rss")
    assert source.name == "Testfield World Desk" and source.section.slug == "world"
    assert "added Testfield World Desk" in output


def test_sources_add_explains_a_url_that_is_not_a_feed(news_site: NewsSite) -> None:
    page = news_site.server.add("/plain.txt", b"hello", headers={"Content-Type": "text/plain"})
    with pytest.raises(CommandError, match="not a feed"):
        run("sources", "add", page)


def test_fetch_prints_the_summary_line_and_articles_prints_json_lines(news_site: NewsSite) -> None:
    run("sources", "add", news_site.serve("world.rss"), "--name", "World Desk", "--section", "world")
    run("sources", "add", news_site.serve("world.rss", "/copy.rss"), "--name", "Copy Desk", "--no-check")

    summary = run("fetch", "--no-progress").strip().splitlines()[-1]
    lines = [json.loads(line) for line in run("articles", "--json").splitlines()]

    assert summary == "fetched=2 unchanged=0 failed=0 new=3 updated=0 duplicate=3"
    assert len(lines) == 3
    first = lines[0]
    assert set(first) == {
        "id",
        "url",
        "canonical_url",
        "title",
        "sources",
        "author",
        "published_at",
        "section",
        "language",
        "text_length",
    }
    assert first["title"] == "River authority opens the new Elmbrook flood barrier"
    assert first["sources"] == ["World Desk", "Copy Desk"]
    assert first["published_at"] == "2026-11-24T08:00:00+00:00"
    assert first["url"].endswith("utm_medium=feed") and "utm_" not in first["canonical_url"]
    assert first["section"] == "world" and first["language"] == "en" and first["text_length"] > 500


def test_articles_can_be_limited_to_one_source(news_site: NewsSite) -> None:
    run("sources", "add", news_site.serve("world.rss"), "--no-check")
    run("sources", "add", news_site.serve("science.atom"), "--no-check")
    run("fetch", "--no-progress")

    lines = run("articles", "--json", "--source", news_site.server.url("/feeds/science.atom"), "--limit", "1")

    assert [json.loads(x)["title"] for x in lines.splitlines()] == [
        "Volunteers count a record number of wintering geese"
    ]


def test_opml_export_then_import_round_trips_the_sources(news_site: NewsSite, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run(
        "sources",
        "add",
        news_site.serve("world.rss"),
        "--name",
        "World Desk",
        "--section",
        "world",
        "--no-check",
    )
    exported = run("sources", "export-opml")
    Source.objects.all().delete()
    (tmp_path / "subs.opml").write_text(exported)

    output = run("sources", "import-opml", str(tmp_path / "subs.opml"))

    assert "imported 1 sources" in output
    assert Source.objects.get().name == "World Desk"


def test_a_failing_source_is_named_in_the_fetch_output(news_site: NewsSite) -> None:
    run("sources", "add", news_site.server.add("/gone.rss", b"", status=404), "--no-check", "--name", "Gone")
    err = io.StringIO()
    out = io.StringIO()
    call_command("fetch", stdout=out, stderr=err)
    assert "failed=1" in out.getvalue()
    assert "Gone" in err.getvalue() and "http_status" in err.getvalue()
    assert Article.objects.count() == 0


def test_the_worker_prints_each_log_line_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # run_huey adds its own handler to the "huey" logger when that logger has none; with the root
    # handler also printing, every worker line came out twice, in two formats.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"CUPURE_DATA_DIR": str(tmp_path), "CUPURE_LOG_LEVEL": "INFO"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "cupure.cli", "worker"], env=env, stderr=subprocess.PIPE, text=True
    )
    deadline = threading.Timer(60, worker.kill)  # a worker that never starts fails the test, not the run
    deadline.start()
    lines: list[str] = []
    assert worker.stderr is not None
    for line in worker.stderr:
        lines.append(line)
        if "Periodic tasks are enabled" in line:
            break
    deadline.cancel()
    worker.terminate()
    worker.wait(timeout=10)
    started = [line for line in lines if "Huey consumer started" in line]
    assert len(started) == 1, lines


@pytest.mark.parametrize("command", ["run", "demo"])
def test_starting_on_a_port_in_use_says_so_before_doing_anything(command: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(CommandError, match=f"port {port} on 127.0.0.1 is already in use"):
            run(command, "--host", "127.0.0.1", "--port", str(port))

    assert Source.objects.count() == 0  # the demo stopped before adding its sources


def test_the_site_s_links_point_at_the_port_it_runs_on_unless_an_address_is_set() -> None:
    from cupure.worker.management.commands.run import children_env

    assert children_env({}, "127.0.0.1", 8123)["CUPURE_SITE_URL"] == "http://127.0.0.1:8123"
    assert children_env({}, "0.0.0.0", 80)["CUPURE_SITE_URL"] == "http://127.0.0.1:80"  # noqa: S104
    assert children_env({}, "::1", 8000)["CUPURE_SITE_URL"] == "http://[::1]:8000"
    chosen = {"CUPURE_SITE_URL": "https://news.example", "PATH": "/bin"}
    assert children_env(chosen, "127.0.0.1", 8123) == chosen
