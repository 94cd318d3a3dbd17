"""Fixtures for every test: real loopback servers (from the pipeline's harness), a clean cache."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

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


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium for the browser tests of one module.

    Module scope, not session: Playwright's sync API keeps an event loop on this thread while it is
    open, and code under test that starts its own loop (the fetcher) must not meet it later on.
    """
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (Debian package 'chromium')")
    # Django refuses ORM calls from a thread with a running loop unless told it is safe; the tests'
    # own queries are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
