from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from cupure.articles.models import Article
from cupure.sources.models import Source
from cupure.trending import services
from cupure.trending.models import ArticleKeyword, Keyword, KeywordRule, KeywordRuleLog, TrendingSnapshot
from cupure.trending.selectors import article_keywords, keyword_page, trending_strip
from cupure.trending.services import article_keywords_refresh, trending_recompute
from cupure.trending.tests.helpers import article, source

pytestmark = pytest.mark.django_db

VOLCANO = [
    "Volcano erupts near Naples as villagers flee",
    "Airports close as volcano ash spreads over Italy",
    "Scientists warn the volcano may erupt again",
    "Volcano eruption grounds flights across Europe",
]
BODY = "The volcano near Naples erupted on Tuesday morning."


@pytest.fixture
def now() -> datetime:
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def outlets() -> tuple[Source, Source, Source]:
    return source("Alpha News"), source("Beta Daily"), source("Gamma Times")


def enriched(src: Source, title: str, *, now: datetime, body: str = "") -> int:
    article_id = article(src, title, now=now, body=body)
    article_keywords_refresh(article_id=article_id)
    return article_id


def volcano_news(outlets: tuple[Source, Source, Source], now: datetime) -> list[int]:
    alpha, beta, _ = outlets
    return [
        enriched(alpha if i % 2 else beta, title, now=now - timedelta(hours=i + 1), body=BODY)
        for i, title in enumerate(VOLCANO)
    ]


def slugs() -> list[str]:
    return [t.slug for t in trending_strip()]


def test_a_term_rising_in_two_sources_trends_and_one_outlet_repeating_itself_does_not(outlets, now) -> None:
    volcano_news(outlets, now)
    for i in range(6):
        enriched(
            outlets[2], f"Gadget review {i}: our verdict on the gadget", now=now - timedelta(hours=i + 1)
        )

    trending_recompute(now=now)

    strip = trending_strip()
    assert [t.slug for t in strip] == ["volcano"]
    assert strip[0].count_now == 4 and strip[0].sources == 2 and strip[0].baseline_rate == 0
    assert "gadget" not in slugs()


def test_a_term_as_common_in_the_baseline_as_today_does_not_trend(outlets, now) -> None:
    volcano_news(outlets, now)
    for day in range(1, 14):
        for i in range(4):  # as many a day as today
            when = now - timedelta(days=day, hours=i + 1)
            enriched(outlets[i % 2], f"Volcano watch {day}.{i}: the mountain is quiet", now=when)

    trending_recompute(now=now)

    assert "volcano" not in slugs()


def test_hidden_articles_and_articles_older_than_a_day_do_not_count(outlets, now) -> None:
    ids = volcano_news(outlets, now)
    Article.objects.filter(id=ids[0]).update(hidden=True)
    Article.objects.filter(id=ids[1]).update(sort_at=now - timedelta(days=2))

    trending_recompute(now=now)

    assert "volcano" not in slugs()


def test_a_blocked_term_never_shows_and_a_pinned_one_always_does_with_the_audit_log_written(
    outlets, now
) -> None:
    volcano_news(outlets, now)
    editor = get_user_model().objects.create_user("editor", password="pw-for-tests-only")

    services.keyword_block(key="Volcano", user=editor, note="not news", recompute=False)
    services.keyword_pin(key="Lunar Eclipse", user=editor, recompute=False)
    trending_recompute(now=now)

    assert slugs() == ["lunar-eclipse"]
    pinned = trending_strip()[0]
    assert pinned.pinned and pinned.display == "lunar eclipse" and pinned.count_now == 0
    log = list(KeywordRuleLog.objects.order_by("id").values_list("key", "action", "user__username", "note"))
    assert log == [("volcano", "block", "editor", "not news"), ("lunar eclipse", "pin", "editor", "")]

    assert services.keyword_rule_clear(key="volcano", user=editor, recompute=False)
    trending_recompute(now=now)

    assert slugs() == ["lunar-eclipse", "volcano"]
    assert KeywordRuleLog.objects.filter(key="volcano", action="unblock", user=editor).exists()
    assert KeywordRule.objects.get(key="volcano").active is False


def test_the_admin_actions_block_and_unpin_keywords_and_log_who_did_it(outlets, now, client: Client) -> None:
    volcano_news(outlets, now)
    admin_user = get_user_model().objects.create_superuser("boss", password="pw-for-tests-only")
    client.force_login(admin_user)
    volcano = Keyword.objects.get(key="volcano")

    response = client.post(
        "/admin/trending/keyword/", {"action": "block", "_selected_action": [volcano.pk]}, follow=True
    )
    assert response.status_code == 200
    rule = KeywordRule.objects.get(key="volcano")
    assert rule.action == "block" and rule.active and rule.created_by == admin_user
    listing = client.get("/admin/trending/keyword/", {"q": "volcano"}).content.decode()
    carried = ArticleKeyword.objects.filter(keyword=volcano).count()
    assert f'<td class="field-articles">{carried}</td><td class="field-rule">blocked</td>' in listing

    client.post("/admin/trending/keywordrule/", {"action": "unpin", "_selected_action": [rule.pk]})
    assert not KeywordRule.objects.get(key="volcano").active
    actions = list(KeywordRuleLog.objects.order_by("id").values_list("action", "user__username"))
    assert actions == [("block", "boss"), ("unblock", "boss")]

    snapshot = TrendingSnapshot.objects.latest()
    page = client.get(f"/admin/trending/trendingsnapshot/{snapshot.pk}/change/")
    assert page.status_code == 200
    assert "<a href='/topic/volcano/'>volcano</a>" in page.content.decode()


def test_the_topic_page_explains_the_trend_and_lists_the_articles(outlets, now, client: Client) -> None:
    volcano_news(outlets, now)
    trending_recompute()

    response = client.get("/topic/volcano/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "4 articles in the last 24 hours from 2 sources" in html
    assert "vs none over the 14 days before" in html
    for title in VOLCANO:
        assert title in html
    assert html.index(VOLCANO[0]) < html.index(VOLCANO[3])  # newest first
    assert 'href="/feeds/topic/volcano/rss/"' in html
    assert "public" in response["Cache-Control"]
    (volcano,) = [t for t in client.get("/api/trending").json() if t["slug"] == "volcano"]
    assert (volcano["count_now"], volcano["sources"], volcano["baseline_rate"]) == (4, 2, 0.0)
    assert volcano["first_seen"] and volcano["pinned"] is False  # the API explains a term as the page does


def test_a_topic_that_is_not_trending_still_lists_its_articles_and_an_unknown_one_is_404(
    outlets, now, client
) -> None:
    enriched(outlets[0], "Lunar eclipse visible across Europe tonight", now=now)
    trending_recompute()

    response = client.get("/topic/eclipse/")

    assert response.status_code == 200
    assert "Not trending right now" in response.content.decode()
    assert "Lunar eclipse visible" in response.content.decode()
    assert client.get("/topic/no-such-topic/").status_code == 404


def test_the_topic_page_paginates_and_an_out_of_range_page_gives_the_last(outlets, now) -> None:
    for i in range(23):
        enriched(outlets[i % 3], f"Volcano update {i}: ash cloud drifts east", now=now - timedelta(minutes=i))

    first = keyword_page(slug="volcano", page=1)
    last = keyword_page(slug="volcano", page="99")

    assert first is not None and last is not None
    assert first.page.paginator.count == 23 and len(first.page.object_list) == 20
    assert last.page.number == 2 and len(last.page.object_list) == 3


def test_keywords_are_stored_once_with_hyphenated_slugs_and_refreshing_is_idempotent(outlets, now) -> None:
    article_id = enriched(outlets[0], "Talks at the White House end without a deal", now=now)
    first = set(ArticleKeyword.objects.filter(article_id=article_id).values_list("keyword__key", "weight"))

    article_keywords_refresh(article_id=article_id)
    article_keywords_refresh(article_id=article_id)

    assert (
        set(ArticleKeyword.objects.filter(article_id=article_id).values_list("keyword__key", "weight"))
        == first
    )
    assert Keyword.objects.get(key="white house").slug == "white-house"
    chips = [c.display for c in article_keywords(article_id=article_id)]
    assert "White House" in chips and "house" not in [c.lower() for c in chips]


def test_two_keys_with_the_same_slug_get_distinct_slugs() -> None:
    first = services.keyword_get_or_create(key="russia-ukraine")
    second = services.keyword_get_or_create(key="russia ukraine")

    assert (first.slug, second.slug) == ("russia-ukraine", "russia-ukraine-2")


def test_the_strip_is_one_query_and_keyword_chips_are_one_query(
    outlets, now, django_assert_num_queries
) -> None:
    ids = volcano_news(outlets, now)
    trending_recompute(now=now)

    with django_assert_num_queries(1):
        assert [t.display for t in trending_strip(limit=5)] == ["volcano"]
    with django_assert_num_queries(1):
        assert article_keywords(article_id=ids[0], limit=3)


def test_recomputing_reads_in_a_few_queries_and_keeps_a_bounded_history(
    outlets, now, django_assert_max_num_queries, monkeypatch: pytest.MonkeyPatch
) -> None:
    volcano_news(outlets, now)
    with django_assert_max_num_queries(9):
        trending_recompute(now=now)

    monkeypatch.setattr(services, "KEEP_SNAPSHOTS", 3)
    for _ in range(5):
        trending_recompute(now=now)
    assert TrendingSnapshot.objects.count() == 3


def test_the_strip_is_empty_before_the_first_computation() -> None:
    assert trending_strip() == []


def test_adding_a_rule_in_the_admin_goes_through_the_audited_service(client: Client) -> None:
    admin_user = get_user_model().objects.create_superuser("boss", password="pw-for-tests-only")
    client.force_login(admin_user)

    response = client.post(
        "/admin/trending/keywordrule/add/", {"key": "Lunar Eclipse", "action": "pin", "note": "event"}
    )

    assert response.status_code == 302
    assert KeywordRule.objects.get(key="lunar eclipse").created_by == admin_user
    assert list(KeywordRuleLog.objects.values_list("key", "action", "note")) == [
        ("lunar eclipse", "pin", "event")
    ]
    assert slugs() == ["lunar-eclipse"]
    for page in ("keyword", "keywordrule", "keywordrulelog", "trendingsnapshot"):
        assert client.get(f"/admin/trending/{page}/").status_code == 200
    assert client.get("/admin/sectioning/sectionmodel/").status_code == 200


def test_article_chips_put_names_first_and_keep_few_plain_words(outlets, now) -> None:  # type: ignore[no-untyped-def]
    body = (
        "The Halcyon probe launches from Kestrel Point today. Engineers at Kestrel Point said the Halcyon "
        "probe launches after years of delays, and the Tessaly mission team watched the rocket climb. "
        "Tessaly is an asteroid. The rocket climbs, the rocket turns, the rocket burns, the crowd cheers."
    )
    article_id = article(outlets[0], "Halcyon probe launches toward Tessaly", now=now, body=body)
    article_keywords_refresh(article_id=article_id)

    chips = [c.display for c in article_keywords(article_id=article_id, limit=8)]

    plain = [c for c in chips if c == c.lower() and " " not in c]
    assert chips and chips[0] != chips[0].lower()
    assert len(plain) <= 3
    assert chips.index("Tessaly") < min((chips.index(p) for p in plain), default=len(chips))


def test_a_plain_chip_is_spelled_as_its_article_writes_it_not_as_another_article_named_it(  # type: ignore[no-untyped-def]
    outlets, now
) -> None:
    # The first article to carry "harbour" has it only inside a name, and so names the keyword "Harbour".
    enriched(outlets[1], "Probe lifts off from Kestrel Harbour", now=now)
    body = "Boats left the harbour at dawn. The harbour was calm, and the harbour reopened by noon."
    article_id = enriched(outlets[0], "Storm closes the harbour for a day", now=now, body=body)

    chips = [c.display for c in article_keywords(article_id=article_id, limit=8)]

    assert "harbour" in chips and "Harbour" not in chips


def test_an_article_does_not_get_its_own_publisher_as_a_keyword_chip(outlets, now) -> None:  # type: ignore[no-untyped-def]
    wire = source("The Meridian Wire")
    body = (
        "CASTREL (Meridian Wire) - The Veloria central bank raised rates. Meridian Wire asked the "
        "Veloria central bank why."
    )
    article_id = enriched(wire, "Veloria central bank raises rates", now=now, body=body)

    chips = [c.display for c in article_keywords(article_id=article_id, limit=8)]

    assert "Meridian Wire" not in chips
    assert "Veloria" in chips


def test_keywords_no_article_carries_any_more_are_pruned_but_pinned_ones_stay(
    outlets: tuple[Source, Source, Source], now: datetime
) -> None:
    article_id = enriched(outlets[0], "Volcano erupts near Naples", now=now)
    services.keyword_get_or_create(key="orphan term")
    services.keyword_get_or_create(key="pinned term")
    KeywordRule.objects.create(key="pinned term", action="pin")

    deleted = services.keywords_prune()

    keys = set(Keyword.objects.values_list("key", flat=True))
    assert deleted >= 1
    assert "orphan term" not in keys
    assert "pinned term" in keys
    carried = set(ArticleKeyword.objects.filter(article_id=article_id).values_list("keyword__key", flat=True))
    assert carried and carried <= keys


def test_a_headline_phrase_becomes_a_chip_once_another_article_uses_it(outlets, now) -> None:  # type: ignore[no-untyped-def]
    body = "Councillors voted nine to two for the plan on Tuesday."
    first = enriched(outlets[0], "Orchard council approves protected cycleway", now=now, body=body)
    assert "approves protected" not in [c.display for c in article_keywords(article_id=first)]
    assert "protected cycleway" not in [c.display for c in article_keywords(article_id=first)]

    enriched(outlets[1], "Riders try the new protected cycleway", now=now, body="It opened on Monday.")

    chips = [c.display for c in article_keywords(article_id=first)]
    assert "protected cycleway" in chips and "approves protected" not in chips


def test_a_word_written_in_lower_case_is_not_shown_capitalised_from_a_name_it_was_part_of(  # type: ignore[no-untyped-def]
    outlets, now
) -> None:
    alpha, beta, gamma = outlets
    cup = [
        (alpha, "Rovers win the National Cup as the coast celebrates", "Rovers won the National Cup final."),
        (
            beta,
            "Vale heartbroken as Rovers snatch the cup",
            "Vale lost the National Cup final. The cup went west.",
        ),
        (gamma, "Header ends Rovers' long cup wait", "Rovers won the cup at last, and the cup came home."),
    ]
    for hours, (src, title, body) in enumerate(cup * 2):
        enriched(src, title, now=now - timedelta(hours=hours + 1), body=body)

    trending_recompute(now=now)

    shown = {t.slug: t.display for t in trending_strip()}
    assert shown.get("cup", "cup") == "cup"  # never the fragment "Cup" of "National Cup"
    assert shown["rover"] == "Rovers"
