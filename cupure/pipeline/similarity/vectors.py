"""Sparse TF-IDF vectors with an online IDF, and the cosine between them.

A vector is a plain ``dict[str, float]`` (L2-normalised) so it can be stored as JSON and compared
without numpy. Three channels share one vector, told apart by a key prefix:

* plain terms (``"elect"``): stemmed words, title words counted more, capitalised words boosted;
* ``"_"``-joined entity phrases (``"white_house"``);
* anchors (``"#2019"``, ``"@merke"``): numbers and name prefixes that survive translation, which is what
  lets two languages meet at all without a model.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cupure.pipeline.similarity.text import anchors, entity_phrases, tokenize

Vector = dict[str, float]

TITLE_WEIGHT = 2.0  # a headline word counts as two body words: headlines name the event
CAPITAL_BOOST = 1.5  # capitalised mid-sentence: probably part of a name
PHRASE_WEIGHT = 1.0
ANCHOR_WEIGHT = 0.5  # anchors duplicate information already in the terms; they matter across languages
STORED_TERMS = 64  # terms kept per stored article vector (enough for cosine, small as JSON)


@dataclass
class IdfModel:
    """Document frequencies over a window of recent documents.

    ``add``/``remove`` keep it current as documents enter and leave the window; ``from_documents``
    rebuilds it from the window's term sets (e.g. at worker start). Unseen terms get the highest IDF.
    """

    df: Counter[str] = field(default_factory=Counter)
    n_docs: int = 0

    def add(self, terms: Iterable[str]) -> None:
        self.df.update(set(terms))
        self.n_docs += 1

    def remove(self, terms: Iterable[str]) -> None:
        for term in set(terms):
            count = self.df.get(term, 0) - 1
            if count > 0:
                self.df[term] = count
            else:
                self.df.pop(term, None)
        self.n_docs = max(0, self.n_docs - 1)

    def idf(self, term: str) -> float:
        # Smoothed, always positive: a term in every document still carries a little weight.
        return math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1)) + 1.0

    @classmethod
    def from_documents(cls, term_sets: Iterable[Iterable[str]]) -> IdfModel:
        model = cls()
        for terms in term_sets:
            model.add(terms)
        return model

    def to_json(self, *, min_df: int = 2) -> dict[str, object]:
        """A compact snapshot (terms seen once are dropped: they carry the default IDF anyway)."""
        return {"n_docs": self.n_docs, "df": {t: c for t, c in self.df.items() if c >= min_df}}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> IdfModel:
        df = data.get("df", {})
        n_docs = data.get("n_docs", 0)
        assert isinstance(df, dict) and isinstance(n_docs, int)
        return cls(df=Counter({str(k): int(v) for k, v in df.items()}), n_docs=n_docs)


def term_counts(title: str, text: str, *, lang: str | None = None) -> Counter[str]:
    """Weighted raw counts of every channel for one article (before IDF)."""
    language = lang or "en"
    counts: Counter[str] = Counter()
    for part, weight in ((title, TITLE_WEIGHT), (text, 1.0)):
        if not part:
            continue
        for token in tokenize(part, language):
            counts[token.term] += weight * (CAPITAL_BOOST if token.capital else 1.0)
        for phrase in entity_phrases(part):
            counts[phrase] += weight * PHRASE_WEIGHT
        for anchor in anchors(part):
            counts[anchor] += weight * ANCHOR_WEIGHT
    return counts


def weigh(counts: Mapping[str, float], idf: IdfModel, *, keep: int | None = None) -> Vector:
    """Sublinear TF times IDF, optionally pruned to the ``keep`` strongest terms, L2-normalised."""
    weights = {term: (1.0 + math.log(count)) * idf.idf(term) for term, count in counts.items() if count > 0}
    if keep is not None and len(weights) > keep:
        weights = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])
    return normalise(weights)


def normalise(vector: Mapping[str, float]) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    if norm == 0.0:
        return {}
    return {term: w / norm for term, w in vector.items()}


def doc_vector(
    title: str, text: str, *, idf: IdfModel, lang: str | None = None, keep: int | None = STORED_TERMS
) -> Vector:
    """The article's sparse TF-IDF vector, L2-normalised, pruned to ``keep`` terms for storage."""
    return weigh(term_counts(title, text, lang=lang), idf, keep=keep)


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two L2-normalised sparse vectors (iterates over the shorter one)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(term, 0.0) for term, w in a.items())


def top_terms(vector: Mapping[str, float], k: int) -> list[str]:
    return [term for term, _ in sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def similar_score(a_vec: Mapping[str, float], b_vec: Mapping[str, float]) -> float:
    """Similar News score in [0, 1]: cosine, plus credit for shared anchors when the words differ.

    Across languages plain terms rarely meet, so the anchor channel (numbers, names) is compared on its
    own and counts for what the word cosine cannot see.
    """
    words = cosine(a_vec, b_vec)
    anchor_a = normalise({t: w for t, w in a_vec.items() if t[0] in "#@"})
    anchor_b = normalise({t: w for t, w in b_vec.items() if t[0] in "#@"})
    shared = cosine(anchor_a, anchor_b)
    return max(words, 0.5 * shared)
