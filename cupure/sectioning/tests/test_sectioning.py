from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from cupure.articles.models import Article, Section
from cupure.sectioning import services
from cupure.sectioning.models import SectionModel
from cupure.sectioning.services import article_section_assign, section_classifier_retrain
from cupure.sources.models import Source
from cupure.trending.tests.helpers import article, source

pytestmark = pytest.mark.django_db

SPORT = [
    "Striker scores twice as United win the derby",
    "Champion wins the final set at Wimbledon",
    "Coach praises defence after league victory",
    "Goalkeeper saves penalty in cup semi-final",
    "Sprinter breaks the world record in the final",
    "Midfielder signs for the champions in a record transfer",
    "Tennis star reaches the quarter-final after five sets",
    "Rugby team beats rivals in the league derby",
    "Cyclist takes the yellow jersey on the mountain stage",
    "Fans celebrate as the team lifts the cup",
    "Boxer retains the title with a late knockout",
    "Manager sacked after a run of league defeats",
]
BUSINESS = [
    "Shares fall as the central bank raises interest rates",
    "Profits rise at the carmaker after strong sales",
    "Inflation slows as energy prices ease for households",
    "Retailer cuts jobs after weak quarterly earnings",
    "Stock markets rally on hopes of lower interest rates",
    "Bank reports record profits as lending grows",
    "Oil prices climb after producers cut output",
    "Investors sell bonds as inflation fears return",
    "Start-up raises funding from venture investors",
    "Airline shares jump on strong demand and higher fares",
    "Factory output falls as orders shrink for manufacturers",
    "Pension funds move savings into company shares",
]


@pytest.fixture
def now() -> datetime:
    return timezone.now()


@pytest.fixture
def sections() -> tuple[Section, Section]:
    return Section.objects.create(slug="sport", name="Sport"), Section.objects.create(
        slug="business", name="Business"
    )


@pytest.fixture
def trained(sections: tuple[Section, Section], now: datetime) -> tuple[Section, Section]:
    """Two single-topic sources with a dozen sectioned articles each, and a trained model."""
    sport, business = sections
    feeds = {sport: source("Sport Wire", section=sport), business: source("Money Wire", section=business)}
    for section, titles in ((sport, SPORT), (business, BUSINESS)):
        for i, title in enumerate(titles):
            assigned(feeds[section], title, now=now - timedelta(hours=i))
    section_classifier_retrain()
    return sections


def assigned(src: Source, title: str, *, now: datetime) -> int:
    article_id = article(src, title, now=now)
    article_section_assign(article_id=article_id)
    return article_id


def section_of(article_id: int) -> str | None:
    return Article.objects.filter(id=article_id).values_list("section__slug", flat=True).get()


def test_a_single_topic_source_gives_its_section(sections, now) -> None:
    sport, _ = sections
    article_id = assigned(source("Sport Wire", section=sport), "Anything at all", now=now)

    assert section_of(article_id) == "sport"


def test_no_model_is_trained_without_two_sections_of_ten_articles(sections, now) -> None:
    sport, business = sections
    sport_wire, money_wire = source("Sport Wire", section=sport), source("Money Wire", section=business)
    for title in SPORT:
        assigned(sport_wire, title, now=now)
    for title in BUSINESS[:9]:
        assigned(money_wire, title, now=now)

    section_classifier_retrain()

    assert not SectionModel.objects.exists()


def test_retraining_stores_a_model_with_its_held_out_accuracy(trained) -> None:
    model = SectionModel.objects.get()

    assert sorted(model.labels) == ["business", "sport"]
    assert model.train_count == len(SPORT) + len(BUSINESS)
    assert model.label_counts == {"sport": len(SPORT), "business": len(BUSINESS)}
    assert model.accuracy is not None and 0.0 <= model.accuracy <= 1.0 and model.held_out_count >= 2


def test_articles_from_a_general_source_get_the_classifiers_section(trained, now) -> None:
    sport, business = trained
    general = source("Daily Everything", section=business, single_topic=False)

    match = assigned(general, "United striker scores twice in the league derby victory", now=now)
    money = assigned(general, "Bank shares rally as interest rates fall and profits rise", now=now)

    assert section_of(match) == "sport"
    assert section_of(money) == "business"


def test_retraining_resections_general_sources_but_keeps_an_editors_correction(sections, now) -> None:
    sport, business = sections
    general = source("Daily Everything", section=business, single_topic=False)
    derby = assigned(general, "United striker scores twice in the league derby victory", now=now)
    corrected = assigned(general, "Champion wins the cup final at Wimbledon", now=now)
    Article.objects.filter(id=corrected).update(section=business, section_locked=True)  # the editor's call
    assert section_of(derby) == "business"  # no model yet: the source's section

    feeds = {sport: source("Sport Wire", section=sport), business: source("Money Wire", section=business)}
    for section, titles in ((sport, SPORT), (business, BUSINESS)):
        for title in titles:
            assigned(feeds[section], title, now=now)
    section_classifier_retrain()
    article_section_assign(article_id=corrected)

    assert section_of(derby) == "sport"
    assert section_of(corrected) == "business"


def test_an_unsure_classifier_falls_back_to_the_sources_section(trained, now, monkeypatch) -> None:
    _, business = trained
    monkeypatch.setattr(services, "MIN_CONFIDENCE", 1.01)
    general = source("Daily Everything", section=business, single_topic=False)

    article_id = assigned(general, "United striker scores twice in the league derby victory", now=now)

    assert section_of(article_id) == "business"


def test_the_loaded_model_is_reused_until_a_new_one_is_trained(trained, django_assert_num_queries) -> None:
    first = services.latest_classifier()
    with django_assert_num_queries(1):  # only "which model is newest?"
        assert services.latest_classifier() is first

    section_classifier_retrain()

    assert services.latest_classifier() is not first


needs_model = pytest.mark.skipif(
    not services.embeddings.available(), reason="embedding model not installed (make models)"
)


@needs_model
def test_with_the_embedding_model_each_text_is_embedded_once_across_retrains(trained) -> None:
    from cupure.sectioning.models import TextEmbedding

    stored = TextEmbedding.objects.count()
    first = services.latest_classifier()
    assert first is not None and first.embedding == services.embeddings.load_encoder().name
    assert first.embed is not None
    assert stored >= len(SPORT) + len(BUSINESS)

    section_classifier_retrain()

    assert TextEmbedding.objects.count() == stored


def test_with_embeddings_off_the_model_uses_tf_idf_alone(sections, now, monkeypatch) -> None:
    monkeypatch.setenv("CUPURE_EMBEDDINGS", "off")
    sport, business = sections
    feeds = {sport: source("Sport Wire", section=sport), business: source("Money Wire", section=business)}
    for section, titles in ((sport, SPORT), (business, BUSINESS)):
        for title in titles:
            assigned(feeds[section], title, now=now)

    section_classifier_retrain()

    classifier = services.latest_classifier()
    assert classifier is not None and classifier.embedding_dim == 0


def assigned_with(src: Source, title: str, categories: list[str], *, now: datetime) -> int:
    article_id = article(src, title, now=now, categories=categories)
    article_section_assign(article_id=article_id)
    return article_id


def test_a_feed_category_naming_a_section_sections_a_general_sources_item(sections, now) -> None:
    general = source("Daily Everything", section=sections[1], single_topic=False)

    cup = assigned_with(general, "Late winner settles the final", ["Cup final", "Sports"], now=now)
    world = assigned_with(general, "Storm closes the harbour", ["Storm Ilse"], now=now)

    assert section_of(cup) == "sport"  # "Sports" names the Sport section, after a tag that names none
    assert section_of(world) == "business"  # no category names a section: the source's own


def test_items_their_feed_sectioned_train_the_classifier_and_keep_that_section(sections, now) -> None:
    general = source("Daily Everything", section=sections[1], single_topic=False)
    for i, title in enumerate(SPORT):
        assigned_with(general, title, ["sport"], now=now - timedelta(hours=i))
    for i, title in enumerate(BUSINESS):
        assigned_with(general, title, ["Business news"], now=now - timedelta(hours=i))
    # The publisher's call stands even where the words point elsewhere.
    odd = assigned_with(general, "Striker scores twice in the cup final", ["Business"], now=now)

    section_classifier_retrain()
    plain = assigned(general, "United striker scores twice in the league derby victory", now=now)

    assert SectionModel.objects.get().label_counts == {"sport": len(SPORT), "business": len(BUSINESS) + 1}
    assert section_of(plain) == "sport"
    assert section_of(odd) == "business"


def test_a_polled_feeds_item_categories_reach_its_section(news_site, sections) -> None:  # type: ignore[no-untyped-def]
    from cupure.sources.services import sources_refresh
    from cupure.sources.tests.newssite import make_source

    world = Section.objects.create(slug="world", name="World")
    make_source(news_site.serve("world.rss"), section=sections[1], single_topic=False)

    sources_refresh()

    barrier = Article.objects.get(title="River authority opens the new Elmbrook flood barrier")
    assert barrier.feed_categories == ["world"]
    article_section_assign(article_id=barrier.id)
    assert section_of(barrier.id) == world.slug


def test_an_editor_sees_the_feed_categories_on_the_article_admin_page(sections, now, admin_client) -> None:  # type: ignore[no-untyped-def]
    general = source("Daily Everything", section=sections[1], single_topic=False)
    article_id = assigned_with(general, "Late winner settles the final", ["Cup final", "Sports"], now=now)

    page = admin_client.get(f"/admin/articles/article/{article_id}/change/").content.decode()

    assert "Cup final" in page and "Sports" in page


def test_the_article_list_in_the_admin_shows_headline_source_and_which_sections_an_editor_set(
    sections, now, admin_client
) -> None:  # type: ignore[no-untyped-def]
    sport, _ = sections
    general = source("Daily Everything", section=sections[1], single_topic=False)
    article_id = assigned_with(general, "Late winner settles the final", ["Cup final"], now=now)
    Article.objects.filter(id=article_id).update(section=sport, section_locked=True)

    page = admin_client.get("/admin/articles/article/").content.decode()

    assert 'Late winner settles the final<br><span class="quiet">Daily Everything</span>' in page
    assert f"{sport.name} (kept: set by an editor)" in page
    assert " chars" in page
