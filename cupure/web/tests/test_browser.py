"""The site in headless Chromium: article page parts, layouts at 375 and 1280 px, dark mode, search.

Screenshots go to build/screenshots/ (git-ignored). One browser for the whole session.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from cupure.trending.models import ArticleKeyword, Keyword
from cupure.web.tests import factories as f

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(settings.BASE_DIR) / "build" / "screenshots"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed"),
]


@pytest.fixture
def article(transactional_db, monkeypatch):  # type: ignore[no-untyped-def]
    from cupure.trending.selectors import TrendingTerm
    from cupure.web import context_processors

    monkeypatch.setattr(
        context_processors,
        "trending_strip",
        lambda limit: [
            TrendingTerm(key="harbour", slug="harbour", display="Harbour"),
            TrendingTerm(key="storm ilse", slug="storm-ilse", display="Storm Ilse"),
        ],
    )
    world = f.section("world")
    courier, wire = f.source("courier", "The Courier"), f.source("wire", "Meridian Wire")
    body = "".join(
        f"<p>Paragraph {n}: the harbour wall held through the night as the storm passed.</p>"
        for n in range(8)
    )
    lead = f.article(
        courier,
        title="Harbour wall holds as Storm Ilse passes the coast",
        body=body,
        sect=world,
        image_url="https://img.example/harbour.jpg",
    )
    f.many(6, wire, sect=world, prefix="World update")
    keyword = Keyword.objects.create(key="harbour", slug="harbour", display="Harbour")
    ArticleKeyword.objects.create(article=lead, keyword=keyword, weight=1.0)
    f.article(wire, title="Storm Ilse closes the ferry port", sect=world, age=timedelta(days=1))
    return lead


def _page(browser: Any, width: int, scheme: str = "light") -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    context.route("https://img.example/**", lambda route: route.abort())  # no network in tests
    return context.new_page()


def test_the_article_page_shows_its_parts_at_phone_and_desktop_widths(browser, live_server, article) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page = _page(browser, width)
        page.goto(live_server.url + article.get_absolute_url())
        assert page.locator("nav.trending a", has_text="Storm Ilse").is_visible()
        assert page.locator("h1#headline").inner_text().startswith("Harbour wall holds")
        assert page.locator(".body p").count() == 8
        assert page.locator("#comments-body[data-src]").count() == 1
        assert page.locator("#similar-h").is_visible()
        assert page.locator(".similar .card").count() >= 1
        assert page.locator(".breadcrumb a", has_text="World").is_visible()
        assert page.locator("#more-h").inner_text() == "More in World"
        # Nothing wider than the viewport: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        aside_left = page.locator(".article-aside").bounding_box()["x"]
        article_left = page.locator("article.article").bounding_box()["x"]
        assert (aside_left > article_left) == (
            width == 1280
        )  # beside the article on desktop, below on a phone
        page.screenshot(path=str(SHOTS / f"article-{width}.png"), full_page=width == 375)
        page.context.close()


def test_dark_mode_follows_the_system_setting(browser, live_server, article) -> None:  # type: ignore[no-untyped-def]
    page = _page(browser, 1280, "dark")
    page.goto(live_server.url + "/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 19, 21)"
    page.screenshot(path=str(SHOTS / "home-1280-dark.png"))
    page.context.close()
    light = _page(browser, 1280, "light")
    light.goto(live_server.url + "/")
    assert light.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    light.screenshot(path=str(SHOTS / "home-1280-light.png"))
    light.context.close()


def test_searching_from_the_header_with_the_keyboard(browser, live_server, article) -> None:  # type: ignore[no-untyped-def]
    page = _page(browser, 375)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type('"storm ilse" -ferry')
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator(".result-title")
    assert results.count() == 1 and "Harbour wall holds" in results.first.inner_text()
    assert page.locator(".result-title mark").first.inner_text().lower() == "storm"
    page.screenshot(path=str(SHOTS / "search-375.png"), full_page=True)
    page.context.close()
