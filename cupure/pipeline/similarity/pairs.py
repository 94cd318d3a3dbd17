"""Scoring a pair of articles that may be in different languages (Similar News across editions).

Two views of each text, each a TF-IDF vector with its own IDF over the texts seen:

* words: stemmed, stop words removed, in the text's own language (strong within one language; across
  languages only names and numbers written alike still meet);
* anchors: numbers and capitalised names cut to a 5-letter prefix after transliteration (what survives
  translation: "Merkel"/"Merkels"/"Меркель" meet).

Plus three cheap views added for the combination: the headline alone, "cognates" (every word of 3+
letters cut to 5 letters after transliteration, shared IDF across languages: "elecciones"/"elections",
"Präsident"/"president" meet) and character 3/4-grams of the transliterated text; and the Jaccard
overlap of the number and name anchor sets.

The score is a linear model over log(x + FLOOR) and sqrt(x) of the seven similarities, one set of
weights for same-language pairs and one for cross-language pairs, fitted (ridge, alpha 1) on the
SemEval-2022 dev sample and rounded; it predicts the "5 - overall" scale (1 = unrelated .. 4 = same
story). 5-fold CV grouped by article pair on dev: Pearson 0.686 (the previous two-feature hand-weighted
score: 0.664; in-sample now 0.701). ``SAME_STORY`` is the level above which a pair is usually the same story.

The product uses it to re-rank Similar News: the stored doc vectors (``similar_score``, Pearson 0.578 on
the same pairs) pick the candidates, this score orders the best of them. For that the IDF tables travel
as a JSON snapshot (``to_json``: each view's most frequent terms, which measured the same Pearson as the
full tables), and ``view`` computes one text's vectors once for comparing it with many.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cupure.pipeline.similarity.text import STOP_WORDS, anchors, tokenize, transliterate
from cupure.pipeline.similarity.vectors import IdfModel, Vector, cosine, normalise

FLOOR = 0.02  # keeps log() finite for pairs sharing nothing
SAME_STORY = 2.5  # "overall <= 2" is 3 on this scale; the regression shrinks toward the mean
COGNATE_PREFIX = 5
PAIR_BODY_CHARS = 1000  # the body's head an article is compared by (the SemEval texts are ~1,000 chars)
SNAPSHOT_TERMS = 20_000  # per view in a JSON snapshot: about 1 MB in all; Pearson 0.7001 vs 0.7014 untrimmed
_WORD = re.compile(r"\w+")
_ALL_STOPS = frozenset().union(*STOP_WORDS.values())


def pair_text(title: str, body: str) -> str:
    """An article as the pair scorer reads it: the headline on the first line, then the body's head."""
    return f"{' '.join((title or '').split())}\n{(body or '')[:PAIR_BODY_CHARS]}"


def word_counts(text: str, lang: str) -> Counter[str]:
    title, _, _ = text.partition("\n")
    counts: Counter[str] = Counter(t.term for t in tokenize(text, lang))
    counts.update(t.term for t in tokenize(title, lang))  # the headline counts twice
    return counts


def anchor_counts(text: str) -> Counter[str]:
    return Counter(anchors(text))


def title_counts(text: str, lang: str) -> Counter[str]:
    return Counter(t.term for t in tokenize(text.partition("\n")[0], lang))


def cognate_counts(text: str) -> Counter[str]:
    """Language-blind word prefixes of the transliterated text (headline counted twice)."""
    plain = transliterate(text).lower()
    counts: Counter[str] = Counter()
    for part in (plain, plain.partition("\n")[0]):
        for word in _WORD.findall(part):
            if len(word) >= 3 and word not in _ALL_STOPS:
                counts[word[:COGNATE_PREFIX]] += 1
    return counts


def char_counts(text: str) -> Counter[str]:
    """Character 3- and 4-grams of the transliterated, lower-cased text (punctuation as space)."""
    plain = " " + _NON_WORD.sub(" ", transliterate(text).lower()) + " "
    counts: Counter[str] = Counter(plain[i : i + 3] for i in range(len(plain) - 2))
    counts.update(plain[i : i + 4] for i in range(len(plain) - 3))
    for blank in [gram for gram in counts if gram.isspace()]:
        del counts[blank]
    return counts


_NON_WORD = re.compile(r"\W+")


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _tfidf(counts: Counter[str], idf: IdfModel) -> Vector:
    # ``IdfModel.idf`` inlined: this runs for every character n-gram of every text a page compares.
    top, df, log = math.log(idf.n_docs + 1) + 1.0, idf.df, math.log
    return normalise({t: (1.0 + log(c)) * (top - log(df.get(t, 0) + 1)) for t, c in counts.items() if c > 0})


@dataclass
class PairFeatures:
    words: float
    anchors: float
    same_language: bool
    chars: float = 0.0
    title: float = 0.0
    numbers: float = 0.0  # Jaccard of the number anchors
    names: float = 0.0  # Jaccard of the name anchors
    cognates: float = 0.0


@dataclass(frozen=True)
class PairView:
    """One text's vectors in every view, computed once to compare it with many others."""

    lang: str
    words: Vector
    anchors: Vector
    chars: Vector
    title: Vector
    cognates: Vector
    numbers: frozenset[str]
    names: frozenset[str]


_VIEWS = ("words", "anchors", "chars", "titles", "cognates")


@dataclass
class PairScorer:
    """IDF tables for the views, learnt from the texts of the recent window."""

    words: IdfModel = field(default_factory=IdfModel)
    anchors: IdfModel = field(default_factory=IdfModel)
    chars: IdfModel = field(default_factory=IdfModel)
    titles: IdfModel = field(default_factory=IdfModel)
    cognates: IdfModel = field(default_factory=IdfModel)

    def extend(self, texts: Iterable[tuple[str, str]]) -> None:
        for text, lang in texts:
            self.words.add(word_counts(text, lang))
            self.anchors.add(anchor_counts(text))
            self.chars.add(char_counts(text))
            self.titles.add(title_counts(text, lang))
            self.cognates.add(cognate_counts(text))

    @classmethod
    def fit(cls, texts: Iterable[tuple[str, str]]) -> PairScorer:
        scorer = cls()
        scorer.extend(texts)
        return scorer

    @property
    def n_docs(self) -> int:
        return self.words.n_docs

    def to_json(self, *, keep: int = SNAPSHOT_TERMS) -> dict[str, object]:
        """Each view's ``keep`` most frequent terms seen twice or more (rarer ones get the top IDF anyway)."""
        snapshot: dict[str, object] = {"n_docs": self.n_docs}
        for name in _VIEWS:
            df = getattr(self, name).df
            frequent = sorted((t for t, c in df.items() if c >= 2), key=lambda t: (-df[t], t))[:keep]
            snapshot[name] = {t: df[t] for t in frequent}
        return snapshot

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> PairScorer:
        n_docs = data.get("n_docs", 0)
        assert isinstance(n_docs, int)
        tables = {}
        for name in _VIEWS:
            df = data.get(name, {})
            assert isinstance(df, dict)
            tables[name] = IdfModel(df=Counter({str(t): int(c) for t, c in df.items()}), n_docs=n_docs)
        return cls(**tables)

    def view(self, text: str, lang: str) -> PairView:
        found = set(anchors(text))
        numbers = frozenset(a for a in found if a[0] == "#")
        return PairView(
            lang=lang,
            words=_tfidf(word_counts(text, lang), self.words),
            anchors=_tfidf(anchor_counts(text), self.anchors),
            chars=_tfidf(char_counts(text), self.chars),
            title=_tfidf(title_counts(text, lang), self.titles),
            cognates=_tfidf(cognate_counts(text), self.cognates),
            numbers=numbers,
            names=frozenset(found - numbers),
        )

    def features(self, text_a: str, lang_a: str, text_b: str, lang_b: str) -> PairFeatures:
        return compare(self.view(text_a, lang_a), self.view(text_b, lang_b))


def compare(a: PairView, b: PairView) -> PairFeatures:
    return PairFeatures(
        words=cosine(a.words, b.words),
        anchors=cosine(a.anchors, b.anchors),
        same_language=a.lang == b.lang,
        chars=cosine(a.chars, b.chars),
        title=cosine(a.title, b.title),
        numbers=_jaccard(a.numbers, b.numbers),
        names=_jaccard(a.names, b.names),
        cognates=cosine(a.cognates, b.cognates),
    )


# Ridge weights (alpha 1) for [log(x + FLOOR) for x in FEATURES] + [sqrt(x) for x in FEATURES], then the
# intercept; fitted on the SemEval-2022 dev sample (see the module docstring for the CV figure).
FEATURES = ("words", "anchors", "chars", "title", "numbers", "names", "cognates")
_WEIGHTS = {
    True: (
        (0.52, -0.031, -0.12, 0.429, -0.066, 0.045, -0.231),
        (0.203, 1.617, 0.051, -0.446, 0.262, -1.244, 0.693),
        2.896,
    ),
    False: (
        (0.126, -0.032, -0.691, 0.129, 0.021, 0.097, 0.72),
        (-0.203, 1.161, 0.57, -0.273, 0.422, -0.124, 0.11),
        3.16,
    ),
}


def combine(f: PairFeatures) -> float:
    logs, roots, intercept = _WEIGHTS[f.same_language]
    values = [max(0.0, float(getattr(f, name))) for name in FEATURES]
    score = intercept
    for value, w_log, w_root in zip(values, logs, roots, strict=True):
        score += w_log * math.log(value + FLOOR) + w_root * math.sqrt(value)
    return score


def pair_score(scorer: PairScorer, text_a: str, lang_a: str, text_b: str, lang_b: str) -> float:
    return combine(scorer.features(text_a, lang_a, text_b, lang_b))


def view_score(a: PairView, b: PairView) -> float:
    """``pair_score`` for texts already turned into views (one article against many candidates)."""
    return combine(compare(a, b))
