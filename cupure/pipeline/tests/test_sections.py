from __future__ import annotations

import io
import json

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from cupure.pipeline.sections import SectionClassifier, compose

SPORT = ["Striker scores twice as United win the derby", "Champion wins the final set at Wimbledon"] * 6
BUSINESS = [
    "Shares fall as the bank raises interest rates",
    "Profits rise at the carmaker after strong sales",
] * 6
TECH = ["New smartphone chip doubles battery life", "Software update fixes security flaw in browser"] * 6


@pytest.fixture(scope="module")
def model() -> SectionClassifier:
    texts = SPORT + BUSINESS + TECH
    labels = ["sport"] * len(SPORT) + ["business"] * len(BUSINESS) + ["tech"] * len(TECH)
    return SectionClassifier.train(texts, labels)


def test_it_predicts_the_section_of_unseen_text(model: SectionClassifier) -> None:
    assert model.predict(["United striker wins the derby", "Bank shares fall on rates"]) == [
        "sport",
        "business",
    ]


def test_probabilities_are_one_row_per_text_summing_to_one(model: SectionClassifier) -> None:
    proba = model.predict_proba(["Browser security chip", "Derby final"])
    assert proba.shape == (2, 3)
    assert np.allclose(proba.sum(axis=1), 1.0)


def test_a_model_survives_a_round_trip_through_bytes(model: SectionClassifier) -> None:
    restored = SectionClassifier.from_bytes(model.to_bytes())
    texts = ["Carmaker profits rise", "Smartphone battery update", "Wimbledon champion"]
    assert restored.classes == model.classes
    assert np.allclose(restored.predict_proba(texts), model.predict_proba(texts), atol=1e-5)


def test_loading_refuses_pickled_objects() -> None:
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.array([{"version": 1}], dtype=object))
    with pytest.raises(ValueError):
        SectionClassifier.from_bytes(buffer.getvalue())


def test_training_needs_two_sections() -> None:
    with pytest.raises(ValueError):
        SectionClassifier.train(SPORT, ["sport"] * len(SPORT))


def test_two_sections_work_like_many() -> None:
    two = SectionClassifier.train(SPORT + TECH, ["sport"] * len(SPORT) + ["tech"] * len(TECH))
    assert two.predict(["Striker scores in the derby"]) == ["sport"]
    assert two.predict_proba(["Browser flaw"]).shape == (1, 2)


def test_the_title_is_read_twice_before_the_body() -> None:
    assert compose("Title", "Body") == "Title . Title . Body"


UNLABELED = [
    "Striker injured before the derby",
    "Wimbledon final postponed by rain",
    "Bank profits fall as rates rise",
    "Carmaker shares rise on sales",
    "Browser update patches a flaw",
    "Smartphone chip uses less battery",
]


def test_unlabelled_texts_are_used_for_self_training(model: SectionClassifier) -> None:
    texts = SPORT + BUSINESS + TECH
    labels = ["sport"] * len(SPORT) + ["business"] * len(BUSINESS) + ["tech"] * len(TECH)
    semi = SectionClassifier.train(texts, labels, unlabeled_texts=UNLABELED)
    assert semi.predict(UNLABELED) == ["sport", "sport", "business", "business", "tech", "tech"]
    # Words seen only in unlabelled texts enter the vocabulary.
    assert "postponed" in semi.words.vocabulary_
    assert np.allclose(semi.predict_proba(["Derby striker"]).sum(axis=1), 1.0)
    restored = SectionClassifier.from_bytes(semi.to_bytes())
    assert np.allclose(restored.predict_proba(UNLABELED), semi.predict_proba(UNLABELED), atol=1e-5)


def test_an_empty_unlabelled_list_trains_like_none(model: SectionClassifier) -> None:
    texts = SPORT + BUSINESS + TECH
    labels = ["sport"] * len(SPORT) + ["business"] * len(BUSINESS) + ["tech"] * len(TECH)
    again = SectionClassifier.train(texts, labels, unlabeled_texts=[])
    assert np.allclose(again.predict_proba(UNLABELED), model.predict_proba(UNLABELED), atol=1e-6)


def test_version_1_files_still_load_without_row_normalisation(model: SectionClassifier) -> None:
    buffer = io.BytesIO()
    arrays = np.load(io.BytesIO(model.to_bytes()), allow_pickle=False)
    fields = {name: arrays[name] for name in arrays.files if name != "meta"}
    np.savez_compressed(buffer, meta=np.array(json.dumps({"version": 1, "classes": model.classes})), **fields)
    old = SectionClassifier.from_bytes(buffer.getvalue())
    assert old.normalize_rows is False
    assert old.classes == model.classes
    assert old.predict_proba(["Derby final"]).shape == (1, 3)


needs_model = pytest.mark.skipif(
    not __import__("cupure.pipeline.embeddings", fromlist=["available"]).available(),
    reason="embedding model not installed (make models)",
)


@needs_model
def test_a_model_trained_with_the_sentence_encoder_round_trips_and_still_answers_without_it() -> None:
    from cupure.pipeline.embeddings import load_encoder

    encoder = load_encoder()
    texts = SPORT + BUSINESS + TECH
    labels = ["sport"] * len(SPORT) + ["business"] * len(BUSINESS) + ["tech"] * len(TECH)
    model = SectionClassifier.train(texts, labels, embed=encoder.encode, embedding=encoder.name)
    unseen = [
        compose(title, "")
        for title in ("Tennis player reaches semi-final", "Quarterly earnings beat forecasts")
    ]
    assert model.predict(unseen) == ["sport", "business"]
    assert model.embedding_dim == encoder.dimension

    restored = SectionClassifier.from_bytes(model.to_bytes(), embed=encoder.encode)
    assert restored.embedding == encoder.name
    assert np.allclose(restored.predict_proba(unseen), model.predict_proba(unseen), atol=1e-5)

    # Without its encoder the model still answers from its TF-IDF part instead of failing.
    blind = SectionClassifier.from_bytes(model.to_bytes())
    assert blind.predict(["United striker wins the derby"]) == ["sport"]


def test_the_embedding_weighs_what_was_measured_for_its_encoder() -> None:
    def embed(texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), 4), dtype=np.float32)
        rows[:, 0] = 1.0
        return rows

    texts = SPORT + BUSINESS
    labels = ["sport"] * len(SPORT) + ["business"] * len(BUSINESS)
    for encoder, weight in (("all-MiniLM-L6-v2", 0.4), ("all-mpnet-base-v2", 0.6)):
        model = SectionClassifier.train(texts, labels, embed=embed, embedding=encoder)
        # The raw block, before the joined row is normalised: the embedding's share of the row.
        block = model._features(texts[:1]).toarray()[0, -4:]
        restored = SectionClassifier.from_bytes(model.to_bytes(), embed=embed)
        assert np.isclose(block[0], weight)
        assert np.allclose(restored._features(texts[:1]).toarray()[0, -4:], block)


def _faint_signal_items() -> tuple[csr_matrix, np.ndarray]:
    """80 items whose section shows in a strong feature for 56 of them, in a faint one for the rest."""
    y = np.tile([0, 1], 40)
    sign = (2 * y - 1).astype(float)
    features = np.zeros((80, 3))
    features[:56, 0] = sign[:56]
    features[56:, 1] = sign[56:] * 0.05
    features[:, 2] = 1.0
    return csr_matrix(features), y


def test_the_regularisation_is_the_weakest_needed_to_fit_the_labelled_articles() -> None:
    from cupure.pipeline.sections import SVM_CS, choose_svm_c

    features, y = _faint_signal_items()
    # The strongest regularisation misses the faint items; the next one fits them all, and of the
    # values that tie there, the stronger regularisation is kept.
    assert choose_svm_c(features, y) == SVM_CS[1]
    separable = features.copy()
    separable[:, 1] = separable[:, 1] * 20
    assert choose_svm_c(separable, y) == SVM_CS[0]


def test_too_few_labelled_articles_per_section_keep_the_default_regularisation() -> None:
    from cupure.pipeline.sections import CV_FOLDS, SVM_C, choose_svm_c

    features, y = _faint_signal_items()
    rows = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero(y == 1)[: CV_FOLDS - 1]])
    assert choose_svm_c(features[rows], y[rows]) == SVM_C
