"""Section classifier: TF-IDF over words and character n-grams, a linear SVM, calibrated scores.

Character n-grams (within word bounds) carry what a small training set cannot: word stems,
names' spellings and inflections ("footballer", "footballers"). Word uni- and bigrams carry
phrases ("interest rates"). The title is repeated in the input, because it is the densest
statement of the topic.

The trained model is plain data: vocabularies, IDF weights and coefficients in an ``.npz`` without
pickled objects, so loading a model file can never run code.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

FORMAT_VERSION = 1
TITLE_REPEAT = 2
BODY_CHARS = 6000
# Enough features for any section set; keeps a stored model to a few megabytes.
MAX_WORD_FEATURES = 150_000
MAX_CHAR_FEATURES = 150_000
# Measured on both eval sets: a linear SVM beats logistic regression by 0.3-0.5 points here.
SVM_C = 0.5
CALIBRATION_SHARE = 0.2
TEMPERATURES = tuple(float(t) for t in np.geomspace(0.5, 20.0, 24))


def compose(title: str, body: str) -> str:
    """The text the classifier reads for one article: the title twice, then the start of the body."""
    title = (title or "").strip()
    return " . ".join([title] * TITLE_REPEAT + [(body or "")[:BODY_CHARS]])


def _word_vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        ngram_range=(1, 2),
        sublinear_tf=True,
        max_df=0.5,
        max_features=MAX_WORD_FEATURES,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


def _char_vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        min_df=2 if vocabulary is None else 1,
        max_features=MAX_CHAR_FEATURES,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


def _frozen(vectorizer: TfidfVectorizer, idf: np.ndarray) -> TfidfVectorizer:
    """A vectorizer restored from its vocabulary and IDF weights (fit on a stub, then IDF set)."""
    vectorizer.fit([""])
    vectorizer.idf_ = idf
    return vectorizer


@dataclass
class SectionClassifier:
    """Train with ``train``; ``predict``/``predict_proba`` take texts made by ``compose``."""

    classes: list[str]
    words: TfidfVectorizer
    chars: TfidfVectorizer
    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str]) -> SectionClassifier:
        """Fit on all items; the probability temperature is fit on a held-out fifth first."""
        if len(set(labels)) < 2:
            raise ValueError("training needs at least two sections")
        words, chars = _word_vectorizer(), _char_vectorizer()
        features = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
        y = np.array([str(label) for label in labels])
        temperature = _fit_temperature(features, y)
        model = LinearSVC(C=SVM_C).fit(features, y)
        coef, intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
        if len(model.classes_) == 2:
            # A binary SVM keeps one row; store both so prediction is the same softmax for any count.
            coef, intercept = (
                np.vstack([-coef / 2, coef / 2]),
                np.array([-intercept[0] / 2, intercept[0] / 2]),
            )
        return cls(
            [str(c) for c in model.classes_], words, chars, coef * temperature, intercept * temperature
        )

    def _features(self, texts: Sequence[str]) -> csr_matrix:
        return hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Rows of class probabilities, columns in the order of ``classes``."""
        scores = self._features(texts) @ self.coef.T + self.intercept
        scores = np.asarray(scores, dtype=np.float64)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        return [self.classes[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        meta = {"version": FORMAT_VERSION, "classes": self.classes}
        np.savez_compressed(
            buffer,
            meta=np.array(json.dumps(meta)),
            word_vocab=_vocab_array(self.words),
            word_idf=self.words.idf_.astype(np.float32),
            char_vocab=_vocab_array(self.chars),
            char_idf=self.chars.idf_.astype(np.float32),
            coef=self.coef,
            intercept=self.intercept,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SectionClassifier:
        # allow_pickle=False: a model file holds arrays of numbers and strings, never objects.
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            meta = json.loads(str(arrays["meta"]))
            if meta.get("version") != FORMAT_VERSION:
                raise ValueError(f"unsupported section model version {meta.get('version')!r}")
            word_vocab = [str(w) for w in arrays["word_vocab"]]
            char_vocab = [str(c) for c in arrays["char_vocab"]]
            words = _frozen(_word_vectorizer({w: i for i, w in enumerate(word_vocab)}), arrays["word_idf"])
            chars = _frozen(_char_vectorizer({c: i for i, c in enumerate(char_vocab)}), arrays["char_idf"])
            return cls(list(meta["classes"]), words, chars, arrays["coef"], arrays["intercept"])


def _fit_temperature(features: csr_matrix, y: np.ndarray) -> float:
    """The factor on SVM scores whose softmax best predicts a held-out fifth (temperature scaling).

    SVM scores rank well but are not probabilities; one scalar fitted on unseen items makes
    ``predict_proba`` usable as a confidence (e.g. to leave an article unsectioned when unsure).
    """
    order = np.random.default_rng(0).permutation(len(y))
    cut = int(len(y) * (1 - CALIBRATION_SHARE))
    fit_rows, held_rows = order[:cut], order[cut:]
    if len(set(y[fit_rows])) < len(set(y)) or len(held_rows) == 0:
        return 1.0
    model = LinearSVC(C=SVM_C).fit(features[fit_rows], y[fit_rows])
    scores = np.asarray(model.decision_function(features[held_rows]), dtype=np.float64)
    if scores.ndim == 1:
        scores = np.column_stack([-scores / 2, scores / 2])
    truth = np.searchsorted(model.classes_, y[held_rows])

    def loss(t: float) -> float:
        z = scores * t
        z -= z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-log_p[np.arange(len(truth)), truth].mean())

    return min(TEMPERATURES, key=loss)


def _vocab_array(vectorizer: TfidfVectorizer) -> np.ndarray:
    vocab = vectorizer.vocabulary_
    ordered = sorted(vocab, key=vocab.__getitem__)
    return np.array(ordered, dtype=str)
