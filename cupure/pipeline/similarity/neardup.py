"""Near-duplicate texts (syndicated copies under other URLs): MinHash over word shingles, LSH band keys.

A syndicated copy keeps most of the original's sentences but may have another headline, trimmed or
reordered paragraphs and added boilerplate. So the body alone is signed (never the headline), words are
normalised (case, punctuation, line wrapping), and the decision uses the *overlap coefficient*
``|A ∩ B| / min(|A|, |B|)`` of the shingle sets rather than Jaccard: a trimmed copy is contained in its
original even when it is much shorter.

Lookup: the MinHash is cut into bands; each band hashes to a string key stored in the database, and two
articles sharing any key are candidates. Candidates are then checked with ``is_near_duplicate``
(estimated from the signatures) or ``verify_near_duplicate`` (exact, from the two texts).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

SHINGLE_WORDS = 3
NUM_PERM = 128
ROWS = 3
BANDS = NUM_PERM // ROWS  # 42 bands x 3 rows: Jaccard 0.4 -> candidate with p = 0.94, 0.5 -> 0.996
SEED = 1  # fixed forever: stored band keys must stay comparable across versions and machines
SCHEME = "affine32"  # datasketch hashing scheme, pinned for the same reason
MIN_OVERLAP = 0.65  # share of the shorter text's shingles found in the longer one
MIN_FIGURES = 3  # below this many numbers, the figures say too little to decide
MIN_FIGURE_OVERLAP = 0.9
MIN_SHARED = 6  # and at least this many shingles: two tiny template texts are not copies

_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Permutations are the costly part of MinHash; build them once (datasketch derives them from the seed).
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


@dataclass(frozen=True)
class Signature:
    hashvalues: tuple[int, ...]
    n_shingles: int
    band_keys: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"h": list(self.hashvalues), "n": self.n_shingles}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Signature:
        values = data["h"]
        assert isinstance(values, list)
        hashvalues = tuple(int(v) for v in values)
        return cls(hashvalues=hashvalues, n_shingles=int(str(data["n"])), band_keys=_band_keys(hashvalues))


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """Word k-grams of the lower-cased words; a text shorter than k words is one shingle."""
    words = _WORD_RE.findall(text.lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def _band_keys(hashvalues: tuple[int, ...]) -> tuple[str, ...]:
    keys = []
    for band in range(BANDS):
        rows = hashvalues[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest()
        keys.append(f"{band:02d}{digest}")
    return tuple(keys)


def neardup_signature(text: str) -> Signature:
    """MinHash signature of the body text with its LSH band keys (strings, for an indexed DB column)."""
    grams = shingles(text)
    if not grams:
        return Signature(hashvalues=(), n_shingles=0, band_keys=())
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_TEMPLATE.permutations, scheme=SCHEME)
    minhash.update_batch([g.encode() for g in grams])
    hashvalues = tuple(int(v) for v in np.asarray(minhash.hashvalues))
    return Signature(hashvalues=hashvalues, n_shingles=len(grams), band_keys=_band_keys(hashvalues))


def jaccard_estimate(sig_a: Signature, sig_b: Signature) -> float:
    if not sig_a.hashvalues or not sig_b.hashvalues:
        return 0.0
    same = sum(1 for a, b in zip(sig_a.hashvalues, sig_b.hashvalues, strict=True) if a == b)
    return same / len(sig_a.hashvalues)


def overlap_estimate(sig_a: Signature, sig_b: Signature) -> tuple[float, float]:
    """(overlap coefficient, shared shingles), from the Jaccard estimate and the set sizes:
    |A ∩ B| = J (|A| + |B|) / (1 + J)."""
    jac = jaccard_estimate(sig_a, sig_b)
    shared = jac * (sig_a.n_shingles + sig_b.n_shingles) / (1.0 + jac)
    smaller = min(sig_a.n_shingles, sig_b.n_shingles)
    return (min(1.0, shared / smaller) if smaller else 0.0), shared


def is_near_duplicate(sig_a: Signature, sig_b: Signature) -> bool:
    overlap, shared = overlap_estimate(sig_a, sig_b)
    return overlap >= MIN_OVERLAP and shared >= min(MIN_SHARED, sig_a.n_shingles, sig_b.n_shingles)


_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def figures(text: str) -> set[str]:
    """Numbers in the text, years left out: boilerplate brings its own (a copyright year)."""
    words = _WORD_RE.findall(text)
    return {w for w in words if any(ch.isdigit() for ch in w) and not _YEAR_RE.fullmatch(w)}


def verify_near_duplicate(text_a: str, text_b: str) -> bool:
    """Exact check of a candidate pair: shingle overlap, then the figures.

    Copies keep the original's figures (a trimmed copy keeps a subset of them), while template reports
    (daily price tables, results statements) share nearly all their words and differ in the figures.
    """
    grams_a, grams_b = shingles(text_a), shingles(text_b)
    if not grams_a or not grams_b:
        return False
    shared = len(grams_a & grams_b)
    smaller = min(len(grams_a), len(grams_b))
    if shared / smaller < MIN_OVERLAP or shared < min(MIN_SHARED, smaller):
        return False
    figures_a, figures_b = figures(text_a), figures(text_b)
    fewer = min(len(figures_a), len(figures_b))
    missing = fewer - len(figures_a & figures_b)
    return fewer < MIN_FIGURES or missing <= int(fewer * (1 - MIN_FIGURE_OVERLAP))
