"""Clustering and correlation metrics, implemented exactly as the data pack's README defines them.

Labels are any hashable values; ``gold`` and ``pred`` are aligned sequences (one entry per document).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


def _contingency(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> Counter[tuple[Hashable, Hashable]]:
    if len(gold) != len(pred):
        raise ValueError("gold and pred must have the same length")
    return Counter(zip(gold, pred, strict=True))


def nmi(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Yin & Wang's NMI: sum_ck n_ck log(N n_ck / (n_c n_k)) / sqrt(H_c H_k) with unnormalised
    entropies sum n log(n/N); 1 when both partitions are a single cluster."""
    n = len(gold)
    if n == 0:
        return 1.0
    classes, clusters = Counter(gold), Counter(pred)
    if len(classes) == 1 and len(clusters) == 1:
        return 1.0
    mutual = sum(
        n_ck * math.log(n * n_ck / (classes[c] * clusters[k]))
        for (c, k), n_ck in _contingency(gold, pred).items()
    )
    h_c = sum(n_c * math.log(n_c / n) for n_c in classes.values())
    h_k = sum(n_k * math.log(n_k / n) for n_k in clusters.values())
    if h_c == 0.0 or h_k == 0.0:
        return 0.0  # one side is a single cluster, the other is not: no shared information
    return mutual / math.sqrt(h_c * h_k)


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> PRF:
    """Per document: P = |pred ∩ gold| / |pred|, R = |pred ∩ gold| / |gold|; means over documents."""
    n = len(gold)
    if n == 0:
        return PRF(1.0, 1.0, 1.0)
    table = _contingency(gold, pred)
    classes, clusters = Counter(gold), Counter(pred)
    precision = sum(table[(g, p)] / clusters[p] for g, p in zip(gold, pred, strict=True)) / n
    recall = sum(table[(g, p)] / classes[g] for g, p in zip(gold, pred, strict=True)) / n
    return PRF(precision, recall, _f1(precision, recall))


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> PRF:
    """Over unordered pairs: P = together in both / together in pred, R = together in both / in gold."""
    both = sum(_pairs(c) for c in _contingency(gold, pred).values())
    in_pred = sum(_pairs(c) for c in Counter(pred).values())
    in_gold = sum(_pairs(c) for c in Counter(gold).values())
    precision = both / in_pred if in_pred else 1.0
    recall = both / in_gold if in_gold else 1.0
    return PRF(precision, recall, _f1(precision, recall))


def ari(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Hubert & Arabie adjusted Rand index."""
    n = len(gold)
    both = sum(_pairs(c) for c in _contingency(gold, pred).values())
    sum_pred = sum(_pairs(c) for c in Counter(pred).values())
    sum_gold = sum(_pairs(c) for c in Counter(gold).values())
    total = _pairs(n)
    if total == 0:
        return 1.0
    expected = sum_pred * sum_gold / total
    maximum = (sum_pred + sum_gold) / 2
    if maximum == expected:
        return 1.0
    return (both - expected) / (maximum - expected)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    if n != len(ys):
        raise ValueError("xs and ys must have the same length")
    if n < 2:
        return 0.0
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x == 0.0 or var_y == 0.0:
        return 0.0
    return cov / math.sqrt(var_x * var_y)
