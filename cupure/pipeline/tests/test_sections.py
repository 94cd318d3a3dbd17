from __future__ import annotations

import io

import numpy as np
import pytest

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
