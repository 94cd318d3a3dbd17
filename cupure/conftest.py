"""Fixtures for every test: real loopback servers (from the pipeline's harness), a clean cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from cupure.pipeline.tests.conftest import dnsmock, fault_server, http_server  # noqa: F401  (re-exported)
from cupure.pipeline.tests.httpfixtures import FixtureHTTPServer
from cupure.sources.tests.newssite import NewsSite


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def allow_loopback(settings: pytest.FixtureRequest) -> None:
    """What an operator does to poll feeds on a private network; tests serve fixtures on 127.0.0.1."""
    settings.FETCH_ALLOW_CIDRS = ["127.0.0.0/8"]  # type: ignore[attr-defined]
    settings.FETCH_RESPECT_ROBOTS = True  # type: ignore[attr-defined]
    settings.FETCH_DEADLINE_SECONDS = 5  # type: ignore[attr-defined]


@pytest.fixture
def news_site(http_server: FixtureHTTPServer, allow_loopback: None) -> NewsSite:  # noqa: F811
    """A loopback news site serving the fixture feeds and pages of cupure/sources/tests/testdata."""
    return NewsSite(http_server)
