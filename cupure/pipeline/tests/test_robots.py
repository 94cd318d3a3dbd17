"""robots.txt decisions and the per-host cache (RFC 9309 semantics for failures)."""

from __future__ import annotations

import pytest

from cupure.pipeline.robots import (
    ALLOW_ALL,
    DISALLOW_ALL,
    ROBOTS_TTL_SECONDS,
    UNREACHABLE_TTL_SECONDS,
    RobotsCache,
    host_key,
    robots_allows,
    robots_text_for_outcome,
    robots_url,
)

UA = "cupure/0.1 (+https://news.example.test/about)"
RULES = """\
User-agent: *
Allow: /private/open.html
Disallow: /private/

User-agent: cupure
Disallow: /no-cupure/

User-agent: otherbot
Disallow: /
"""


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://site.test/news/1.html", True),
        ("https://site.test/no-cupure/1.html", False),  # our own group applies ...
        ("https://site.test/private/x.html", True),  # ... and replaces the * group entirely
    ],
)
def test_the_group_naming_our_product_token_decides(url, allowed):
    assert robots_allows(RULES, url, UA) is allowed


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://site.test/news/1.html", True),
        ("https://site.test/private/x.html", False),
        ("https://site.test/private/open.html", True),
    ],
)
def test_other_agents_follow_the_star_group(url, allowed):
    assert robots_allows(RULES, url, "somebot/2.0") is allowed


@pytest.mark.parametrize("robots_txt", [None, "", "   \n", "# only a comment\n"])
def test_no_rules_means_allowed(robots_txt):
    assert robots_allows(robots_txt, "https://site.test/a", UA) is True


def test_a_site_wide_disallow_blocks_every_page():
    assert robots_allows("User-agent: *\nDisallow: /\n", "https://site.test/", UA) is False


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, b"User-agent: *\nDisallow: /x\n", "User-agent: *\nDisallow: /x\n"),
        (404, b"not found", ALLOW_ALL),  # missing robots.txt: everything allowed
        (403, b"", ALLOW_ALL),  # RFC 9309 2.3.1.3: any 4xx counts as "unavailable"
        (500, b"", DISALLOW_ALL),  # server error: assume complete disallow for now
        (503, b"", DISALLOW_ALL),
        (None, b"", DISALLOW_ALL),  # network failure
    ],
)
def test_fetch_outcomes_become_rules(status, body, expected):
    assert robots_text_for_outcome(status, body) == expected


def test_a_huge_robots_txt_is_truncated_at_500_kib():
    text = robots_text_for_outcome(200, b"#" * (2 * 1024 * 1024))
    assert len(text) == 500 * 1024


def test_robots_url_and_host_key_keep_scheme_and_port():
    assert robots_url("https://Site.test:8443/a/b?c=1") == "https://Site.test:8443/robots.txt"
    assert host_key("https://Site.test:8443/a/b") == "https://site.test:8443"


def test_the_cache_answers_until_the_ttl_runs_out():
    cache = RobotsCache()
    host = host_key("https://site.test/news/1.html")
    assert cache.get(host, now=0) is None
    assert cache.allows("https://site.test/no-cupure/1", UA, now=0) is None  # unknown: fetch first
    cache.put(host, RULES, now=100)
    assert cache.get(host, now=100 + ROBOTS_TTL_SECONDS - 1) == RULES
    assert cache.allows("https://site.test/no-cupure/1", UA, now=200) is False
    assert cache.allows("https://site.test/news/1", UA, now=200) is True
    assert cache.get(host, now=100 + ROBOTS_TTL_SECONDS) is None


def test_a_failing_server_is_asked_again_within_the_hour():
    cache = RobotsCache()
    host = host_key("https://down.test/")
    cache.put(host, robots_text_for_outcome(503), now=0)
    assert cache.allows("https://down.test/a", UA, now=10) is False
    assert cache.get(host, now=UNREACHABLE_TTL_SECONDS) is None


def test_an_empty_rules_entry_allows_everything():
    cache = RobotsCache()
    cache.put(host_key("https://open.test/"), robots_text_for_outcome(404), now=0)
    assert cache.allows("https://open.test/anything", UA, now=1) is True


def test_the_cache_stays_bounded():
    cache = RobotsCache(max_hosts=3)
    for number in range(10):
        cache.put(f"https://h{number}.test", ALLOW_ALL, now=0)
    assert cache.get("https://h0.test", now=1) is None
    assert cache.get("https://h9.test", now=1) == ALLOW_ALL
