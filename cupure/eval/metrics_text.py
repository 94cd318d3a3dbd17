"""Text-extraction metrics, each exactly as its benchmark defines it (data README section 1).

- ``AebScorer``: Scrapinghub article-extraction-benchmark (4-token shingles, macro P/R, F1 of means).
- ``WcxbScorer``: WCXB (lower-cased token bags, mean of per-page P/R/F1, snippet rates).
- ``SnippetScorer``: trafilatura's evaluation (with/without snippets, counts summed over pages).

Scorers accumulate one page at a time so the harness can stream pages without holding them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
SHINGLE_SIZE = 4


def word_tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Every run of ``size`` consecutive tokens; a shorter non-empty text is one shingle of all of it."""
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def normalize_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class PageCounts:
    tp: float
    fp: float
    fn: float


def aeb_page_counts(gold: str, predicted: str) -> PageCounts:
    """Shingle TP/FP/FN for one page, divided by their sum so each page weighs the same."""
    g = shingles(word_tokens(gold))
    p = shingles(word_tokens(predicted))
    tp = sum(min(n, p[s]) for s, n in g.items())
    fp = sum(max(0, n - g[s]) for s, n in p.items())
    fn = sum(max(0, n - p[s]) for s, n in g.items())
    total = tp + fp + fn
    if total > 0:
        return PageCounts(tp / total, fp / total, fn / total)
    return PageCounts(0.0, 0.0, 0.0)


def aeb_precision_recall(c: PageCounts) -> tuple[float, float]:
    if c.fp == 0 and c.fn == 0:
        return 1.0, 1.0
    precision = c.tp / (c.tp + c.fp) if c.tp + c.fp > 0 else 0.0
    recall = c.tp / (c.tp + c.fn) if c.tp + c.fn > 0 else 0.0
    return precision, recall


def harmonic_mean(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b > 0 else 0.0


@dataclass
class AebScorer:
    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)
    exact: int = 0
    pages: int = 0

    def add(self, gold: str, predicted: str) -> float:
        """Score one page; returns its own F1 (for listing the worst pages)."""
        counts = aeb_page_counts(gold, predicted)
        precision, recall = aeb_precision_recall(counts)
        # Pages enter each mean only where that ratio has a denominator (README 1a step 5).
        if counts.tp + counts.fp > 0:
            self.precisions.append(precision)
        if counts.tp + counts.fn > 0:
            self.recalls.append(recall)
        self.pages += 1
        self.exact += word_tokens(gold) == word_tokens(predicted)
        return harmonic_mean(precision, recall)

    def result(self) -> dict[str, float]:
        precision = sum(self.precisions) / len(self.precisions) if self.precisions else 0.0
        recall = sum(self.recalls) / len(self.recalls) if self.recalls else 0.0
        return {
            "f1": harmonic_mean(precision, recall),
            "precision": precision,
            "recall": recall,
            "accuracy": self.exact / self.pages if self.pages else 0.0,
        }


def wcxb_page_scores(gold: str, predicted: str) -> tuple[float, float, float]:
    """Per-page (P, R, F1) on lower-cased token bags; an empty gold scores 1 only for an empty prediction."""
    g = Counter(word_tokens(gold.lower()))
    p = Counter(word_tokens(predicted.lower()))
    if not g:
        return (1.0, 1.0, 1.0) if not p else (0.0, 0.0, 0.0)
    if not p:
        return 0.0, 0.0, 0.0
    overlap = sum((g & p).values())
    precision = overlap / sum(p.values())
    recall = overlap / sum(g.values())
    return precision, recall, harmonic_mean(precision, recall)


def snippet_rate(snippets: Sequence[str], predicted: str) -> float | None:
    """Share of snippets found case-insensitively in the prediction; None when there are none."""
    if not snippets:
        return None
    lowered = predicted.lower()
    return sum(s.lower() in lowered for s in snippets) / len(snippets)


@dataclass
class WcxbScorer:
    scores: list[tuple[float, float, float]] = field(default_factory=list)
    with_rates: list[float] = field(default_factory=list)
    without_rates: list[float] = field(default_factory=list)

    def add(self, gold: str, predicted: str, with_: Sequence[str] = (), without: Sequence[str] = ()) -> float:
        score = wcxb_page_scores(gold, predicted)
        self.scores.append(score)
        rate = snippet_rate(with_, predicted)
        if rate is not None:
            self.with_rates.append(rate)
        rate = snippet_rate(without, predicted)
        if rate is not None:
            self.without_rates.append(rate)
        return score[2]

    def result(self) -> dict[str, float]:
        n = len(self.scores) or 1
        return {
            "f1": sum(s[2] for s in self.scores) / n,
            "precision": sum(s[0] for s in self.scores) / n,
            "recall": sum(s[1] for s in self.scores) / n,
            "with_rate": sum(self.with_rates) / len(self.with_rates) if self.with_rates else 0.0,
            "without_rate": sum(self.without_rates) / len(self.without_rates) if self.without_rates else 0.0,
        }


@dataclass
class SnippetScorer:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, with_: list[str], without: list[str], predicted: str) -> float:
        """Count one page; returns the page's own F1 (1.0 when it has nothing to find)."""
        text = normalize_space(predicted)
        found = [bool(text) and normalize_space(s) in text for s in with_]
        leaked = [bool(text) and normalize_space(s) in text for s in without]
        tp, fp = sum(found), sum(leaked)
        fn, tn = len(found) - tp, len(leaked) - fp
        self.tp += tp
        self.fp += fp
        self.fn += fn
        self.tn += tn
        denominator = 2 * tp + fp + fn
        return 2 * tp / denominator if denominator else 1.0

    def result(self) -> dict[str, float]:
        total = self.tp + self.fp + self.fn + self.tn
        return {
            "f1": 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 0.0,
            "precision": self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0,
            "recall": self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0,
            "accuracy": (self.tp + self.tn) / total if total else 0.0,
        }
