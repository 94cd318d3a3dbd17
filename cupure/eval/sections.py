"""Section-classifier evaluation on AG News and BBC News (data README 4a, 4b).

Fixed split, the same on any pack: an item is ``test`` when the first hex digit of sha256(id) is
8-f, else ``train``. The product's classifier is trained on the labels of the train items only and
scored on the test items: ``accuracy`` and ``macro_f1``; the confusion matrix is printed. The test
items' texts (never their labels) are given to training as unlabelled articles, as a site would have
its recent unsectioned articles: the classifier self-trains on them (transductive semi-supervision).
With ``out``, one JSON line ``{"id", "section", "split"}`` per item (the predicted section for test
items, the given one for train items).
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from cupure.pipeline import embeddings
from cupure.pipeline.sections import SectionClassifier, compose, reading

AG_SECTIONS = ("World", "Sports", "Business", "Sci-Tech")
BBC_SECTIONS = ("business", "entertainment", "politics", "sport", "tech")


def split_of(item_id: str) -> str:
    return "test" if hashlib.sha256(item_id.encode("utf-8")).hexdigest()[0] in "89abcdef" else "train"


def _find(data_dir: Path, name: str) -> Path:
    for candidate in (data_dir, data_dir / name, data_dir / "corpora" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{name} not found under {data_dir}")


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _ag_clean(text: str) -> str:
    # The corpus keeps its CSV escapes: "\" for a line break and "#36;" for "$".
    return html.unescape(text.replace("\\", " ").replace("#36;", "$").replace("#39;", "'"))


def _confusion(labels: tuple[str, ...], truth: list[str], predicted: list[str]) -> list[str]:
    width = max(len(label) for label in labels) + 2
    rows = ["truth \\ predicted".ljust(width) + "".join(label[: width - 1].rjust(width) for label in labels)]
    for actual in labels:
        counts = [
            sum(1 for t, p in zip(truth, predicted, strict=True) if t == actual and p == guess)
            for guess in labels
        ]
        rows.append(actual.ljust(width) + "".join(str(n).rjust(width) for n in counts))
    return rows


def _macro_f1(labels: tuple[str, ...], truth: list[str], predicted: list[str]) -> float:
    scores = []
    for label in labels:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def _run(
    items: list[tuple[str, str, str]],
    labels: tuple[str, ...],
    *,
    out: TextIO | None,
    echo: Callable[[str], None],
) -> dict[str, float]:
    """``items`` are (id, text, section)."""
    train = [(text, section) for item_id, text, section in items if split_of(item_id) == "train"]
    test = [(item_id, text, section) for item_id, text, section in items if split_of(item_id) == "test"]
    # Transductive semi-supervision: the test texts, without their labels, play the site's
    # unsectioned articles (see ``SectionClassifier.train``); their labels are only used to score.
    # The product's choice: the optional sentence encoder when it is installed (``make eval`` installs it).
    encoder = embeddings.load_encoder() if embeddings.available() else None
    echo(f"embeddings: {encoder.name if encoder else 'none (TF-IDF only)'}")
    model = SectionClassifier.train(
        [t for t, _ in train],
        [s for _, s in train],
        unlabeled_texts=[text for _, text, _ in test],
        embed=embeddings.memoised(reading(encoder.encode)) if encoder else None,
        embedding=encoder.name if encoder else "",
    )
    predicted = model.predict([text for _, text, _ in test])
    truth = [section for _, _, section in test]
    accuracy = sum(p == t for p, t in zip(predicted, truth, strict=True)) / len(test) if test else 0.0
    metrics = {
        "accuracy": round(accuracy, 4),
        "macro_f1": round(_macro_f1(labels, truth, predicted), 4),
        "train_items": float(len(train)),
        "test_items": float(len(test)),
    }
    for line in _confusion(labels, truth, predicted):
        echo(line)
    if out is not None:
        guesses = {item_id: guess for (item_id, _, _), guess in zip(test, predicted, strict=True)}
        for item_id, _, section in items:
            split = split_of(item_id)
            row = {"id": item_id, "section": guesses.get(item_id, section), "split": split}
            out.write(json.dumps(row) + "\n")
    echo(" ".join(f"{k}={v}" for k, v in metrics.items()))
    return metrics


def run_ag_news(
    data_dir: Path, *, out: TextIO | None = None, echo: Callable[[str], None] = print
) -> dict[str, float]:
    rows = _read(_find(data_dir, "ag_news.jsonl"))
    items = [
        (
            row["id"],
            compose(_ag_clean(row["title"] or ""), _ag_clean(row["description"] or "")),
            row["section"],
        )
        for row in rows
    ]
    return _run(items, AG_SECTIONS, out=out, echo=echo)


def run_bbc(
    data_dir: Path, *, out: TextIO | None = None, echo: Callable[[str], None] = print
) -> dict[str, float]:
    rows = _read(_find(data_dir, "bbc.jsonl"))
    items = [(row["id"], compose(row["title"] or "", row["body"] or ""), row["section"]) for row in rows]
    return _run(items, BBC_SECTIONS, out=out, echo=echo)
