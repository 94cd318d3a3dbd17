"""The optional sentence encoder: right when installed, cleanly absent when not."""

from __future__ import annotations

import numpy as np
import pytest

from cupure.pipeline import embeddings

needs_model = pytest.mark.skipif(
    not embeddings.available(), reason="embedding model not installed (make models)"
)


@needs_model
def test_the_bundled_weights_match_the_published_checksum() -> None:
    encoder = embeddings.load_encoder()
    assert encoder.verified
    assert encoder.name == "all-MiniLM-L6-v2"


@needs_model
def test_a_paraphrase_lands_closer_than_an_unrelated_sentence() -> None:
    vectors = embeddings.load_encoder().encode(
        [
            "The central bank raised interest rates to fight inflation.",
            "Interest rates were increased by the central bank to curb rising prices.",
            "The striker scored twice in the second half of the cup final.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.7
    assert similarity[0, 2] < 0.3


@needs_model
def test_the_output_does_not_depend_on_batch_order_or_padding() -> None:
    encoder = embeddings.load_encoder()
    texts = ["Short one.", "A considerably longer sentence that forces the batch to pad the short one."]
    together = encoder.encode(texts, batch_size=2)
    apart = np.vstack([encoder.encode([text]) for text in texts])
    assert np.allclose(together, apart, atol=1e-5)


@needs_model
def test_a_long_text_is_cut_to_the_token_limit_and_still_embedded() -> None:
    encoder = embeddings.load_encoder()
    long_text = "Flood waters rose across the valley overnight. " * 400
    vector = encoder.encode([long_text, ""], max_tokens=64)
    assert np.isfinite(vector).all()
    assert vector.shape == (2, 384)


def test_the_model_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUPURE_EMBEDDINGS", "off")
    assert embeddings.find_model_dir() is None
    assert not embeddings.available()


def test_asking_for_a_missing_model_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUPURE_EMBEDDINGS", "off")
    embeddings.load_encoder.cache_clear()
    try:
        with pytest.raises(embeddings.ModelUnavailable, match="make models"):
            embeddings.load_encoder()
    finally:
        embeddings.load_encoder.cache_clear()
