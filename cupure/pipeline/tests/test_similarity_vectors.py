import json

import pytest

from cupure.pipeline.similarity.pairs import PairScorer, pair_score, view_score
from cupure.pipeline.similarity.text import anchors, entity_phrases, stem, tokenize
from cupure.pipeline.similarity.vectors import IdfModel, cosine, doc_vector, similar_score

STORM_A = (
    "Storm Ida floods New Orleans",
    "Storm Ida flooded New Orleans on Sunday, cutting power to 900,000 homes.",
)
STORM_B = (
    "New Orleans under water after Ida",
    "Hurricane Ida left New Orleans flooded and 900,000 homes without power.",
)
BUDGET = (
    "Senate passes the budget",
    "The Senate passed a budget bill late on Friday after a long debate on taxes.",
)


def _idf() -> IdfModel:
    model = IdfModel()
    for title, text in (STORM_A, STORM_B, BUDGET):
        model.add(t.term for t in tokenize(title + " " + text))
    return model


def test_tokenize_drops_stop_words_and_folds_plurals_and_possessives():
    terms = [t.term for t in tokenize("The senators' votes and Trump's elections")]
    assert terms == ["senator", "vote", "trump", "election"]


def test_tokenize_marks_mid_sentence_capitals_as_entity_cues():
    tokens = tokenize("Yesterday the minister met Angela Merkel.")
    assert {t.term for t in tokens if t.capital} == {"angela", "merkel"}


def test_chinese_text_is_split_into_character_bigrams():
    assert [t.term for t in tokenize("北京天气")] == ["北京", "京天", "天气"]


def test_inflected_languages_are_cut_to_a_prefix_and_numbers_lose_separators():
    assert stem("wahlergebnisse", "de") == stem("wahlergebnis", "de")
    assert stem("1,234", "en") == "1234"


def test_entity_phrases_join_capitalised_runs():
    assert entity_phrases("He went to the White House with Joe Biden today") == ["white_house", "joe_biden"]


def test_anchors_survive_case_endings_and_cyrillic():
    assert "@merke" in anchors("Spotkanie z Merkel w 2019")
    assert "@merke" in anchors("Встреча с Меркель")
    assert "#2019" in anchors("Spotkanie z Merkel w 2019")


def test_doc_vector_is_unit_length_and_pruned():
    vec = doc_vector(*STORM_A, idf=_idf(), keep=5)
    assert len(vec) == 5
    assert abs(sum(w * w for w in vec.values()) - 1.0) < 1e-9


def test_same_event_scores_higher_than_another_event():
    idf = _idf()
    a, b, c = (doc_vector(*doc, idf=idf) for doc in (STORM_A, STORM_B, BUDGET))
    assert cosine(a, b) > 0.3 > cosine(a, c)
    assert similar_score(a, b) > similar_score(a, c)
    assert abs(cosine(a, a) - 1.0) < 1e-9


def test_idf_window_forgets_removed_documents():
    model = IdfModel()
    model.add(["ida", "storm"])
    model.add(["storm"])
    rare = model.idf("ida")
    model.remove(["ida", "storm"])
    assert model.n_docs == 1 and "ida" not in model.df
    assert model.idf("storm") < rare
    assert IdfModel.from_json(model.to_json(min_df=1)) == model


def test_pair_score_links_a_translation_through_names_and_numbers():
    en = "Merkel meets Macron in Paris\nAngela Merkel and Emmanuel Macron met in Paris on 14 July 2019."
    de = (
        "Merkel trifft Macron in Paris\n"
        "Angela Merkel und Emmanuel Macron trafen sich am 14. Juli 2019 in Paris."
    )
    other = "Erdbeben in Japan\nEin starkes Erdbeben hat am Montag die Küste von Japan erschüttert."
    scorer = PairScorer.fit([(en, "en"), (de, "de"), (other, "de")])
    assert pair_score(scorer, en, "en", de, "de") > pair_score(scorer, en, "en", other, "de")


def test_a_pair_scorer_snapshot_scores_like_the_scorer_it_was_taken_from():
    texts = [
        (
            "Merkel meets Macron in Paris\nAngela Merkel and Emmanuel Macron met in Paris on 14 July 2019.",
            "en",
        ),
        ("Merkel trifft Macron in Paris\nAngela Merkel und Emmanuel Macron trafen sich in Paris.", "de"),
        ("Macron in Paris\nEmmanuel Macron spoke in Paris about the 2019 budget.", "en"),
        ("Erdbeben in Japan\nEin starkes Erdbeben hat am Montag die Küste von Japan erschüttert.", "de"),
    ]
    scorer = PairScorer.fit(texts)
    restored = PairScorer.from_json(json.loads(json.dumps(scorer.to_json())))
    (en, _), (de, _) = texts[0], texts[1]
    assert restored.n_docs == 4
    # Terms seen once are left out of the snapshot; they get the top IDF either way.
    assert restored.words.idf("merkel") == scorer.words.idf("merkel")
    assert pair_score(restored, en, "en", de, "de") == pytest.approx(
        pair_score(scorer, en, "en", de, "de"), abs=0.3
    )
    assert view_score(restored.view(en, "en"), restored.view(de, "de")) == pair_score(
        restored, en, "en", de, "de"
    )


def test_a_pair_scorer_snapshot_keeps_each_views_most_frequent_terms():
    scorer = PairScorer.fit([(f"Headline {n}\nshared words and token{n % 3}", "en") for n in range(9)])
    snapshot = scorer.to_json(keep=2)
    assert all(len(snapshot[view]) <= 2 for view in ("words", "anchors", "chars", "titles", "cognates"))
    assert "share" in snapshot["cognates"]
