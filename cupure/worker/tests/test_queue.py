"""The worker's queue: the same task code runs on Huey's SQLite backend and on Redis."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey
from huey.api import Huey

from cupure.articles.models import Article
from cupure.sources.services import source_refresh
from cupure.sources.tests.newssite import NewsSite, make_source

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("CUPURE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_huey() -> Huey:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CUPURE_REQUIRE_SERVICES") == "1":
            pytest.fail(f"Redis at {REDIS_URL} is required (CUPURE_REQUIRE_SERVICES=1) but not reachable")
        pytest.skip(f"Redis at {REDIS_URL} not reachable")
    return RedisHuey(name=f"cupure-test-{uuid.uuid4().hex}", url=REDIS_URL, results=False)


def drain(huey: Huey) -> int:
    """Run queued tasks the way the consumer does, until the queue is empty."""
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("redis", marks=pytest.mark.services)])
def test_a_queued_refresh_runs_on_each_queue_backend(
    backend: str, news_site: NewsSite, tmp_path: Path
) -> None:
    huey = (
        SqliteHuey(filename=str(tmp_path / "queue.db"), results=False)
        if backend == "sqlite"
        else redis_huey()
    )
    refresh = huey.task()(lambda source_id: source_refresh(source_id=source_id))
    source = make_source(news_site.serve("world.rss"))

    refresh(source.id)
    assert Article.objects.count() == 0  # queued, not run
    ran = drain(huey)

    assert ran == 1 and Article.objects.count() == 3
    huey.flush()
