"""Near-duplicate detection on Reuters-21578 with planted syndicated copies.

Set-up (fixed seed, so every run plants the same copies for a given corpus):

* originals: 1,000 documents drawn at random among those whose body has at least ``MIN_WORDS`` words
  (a two-line price quote copied elsewhere is not a syndicated article);
* each copy is made from its original's body like a syndication partner would: lines re-wrapped,
  a rewritten headline, and at random the last paragraphs trimmed (at least 70 % of the paragraphs,
  and one, are kept), two paragraphs swapped, the "Reuter" sign-off dropped, boilerplate added before
  and/or after (bylines, copyright and newsletter lines);
* every corpus document and every copy is signed with the product's ``neardup_signature``; candidate
  pairs are those sharing an LSH band key; a candidate is *flagged* when ``is_near_duplicate`` (from
  the signatures) and ``verify_near_duplicate`` (exact, from the texts) both agree, as in the product.

Metrics, over unordered pairs:

* ``neardup_recall`` = planted pairs (original, its copy) flagged / planted pairs;
* ``neardup_precision`` = correct flagged pairs / flagged pairs that involve at least one copy, where a
  pair is correct when it joins a copy to its original or to a *repeat* of the original: a corpus
  document whose word 3-shingles overlap the original's by at least ``REPEAT_OVERLAP`` (overlap
  coefficient, exact; stricter than the detector's own ``MIN_OVERLAP``) with the same figures (numbers
  other than years; at most 10 % missing from the side with fewer). Reuters re-sends stories lightly
  re-edited ("CORRECTED", a sentence reworded); those repeats are true duplicates of the original, so
  they are neither counted as errors nor needed for recall, while template reports that differ in
  their figures (daily price tables, results statements) stay errors;
* ``corpus_pairs_flagged`` (detail): flagged pairs of two corpus documents that are not repeats of each
  other. Reuters has no labels for these, so they stay out of precision.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from cupure.pipeline.similarity.neardup import (
    Signature,
    figures,
    is_near_duplicate,
    neardup_signature,
    shingles,
    verify_near_duplicate,
)

SEED = 20261125
COPIES = 1000
MIN_WORDS = 40
REPEAT_OVERLAP = 0.8
KEEP_SHARE = 0.7

_BOILERPLATE_BEFORE = (
    "By a staff correspondent.",
    "This article was syndicated from a wire service partner.",
    "Markets | World | Business | Sign in to read more stories",
)
_BOILERPLATE_AFTER = (
    "Copyright 1987 The Daily Example. All rights reserved. This material may not be redistributed.",
    "Subscribe to our morning newsletter for the day's top business stories, delivered free.",
    "Read more: markets, commodities and company news on our website.",
)
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n|\n(?= {2,}|\t)")


@dataclass(frozen=True)
class Doc:
    key: str  # "c<index>" for corpus documents, "p<index>" for planted copies
    body: str


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def is_repeat(body_a: str, body_b: str) -> bool:
    """The corpus's own (near-)exact repeats: nearly all shingles of the shorter text are shared."""
    grams_a, grams_b = shingles(body_a), shingles(body_b)
    if not grams_a or not grams_b:
        return body_a.split() == body_b.split()
    if len(grams_a & grams_b) / min(len(grams_a), len(grams_b)) < REPEAT_OVERLAP:
        return False
    figures_a, figures_b = figures(body_a), figures(body_b)
    fewer = min(len(figures_a), len(figures_b))
    return fewer - len(figures_a & figures_b) <= int(fewer * 0.1)


def paragraphs(body: str) -> list[str]:
    parts = [" ".join(p.split()) for p in _PARAGRAPH_SPLIT.split(body)]
    return [p for p in parts if p]


def make_copy(body: str, rng: random.Random) -> str:
    """A syndicated copy of ``body``: re-wrapped, maybe trimmed, reordered, with boilerplate."""
    parts = paragraphs(body)
    if parts and parts[-1].lower().startswith("reuter") and rng.random() < 0.5:
        parts = parts[:-1]
    if len(parts) > 2 and rng.random() < 0.5:
        keep = max(1, int(len(parts) * KEEP_SHARE + 0.999), rng.randint(1, len(parts)))
        parts = parts[:keep]
    if len(parts) > 2 and rng.random() < 0.4:
        i = rng.randrange(len(parts) - 1)
        parts[i], parts[i + 1] = parts[i + 1], parts[i]
    if rng.random() < 0.5:
        parts.insert(0, rng.choice(_BOILERPLATE_BEFORE))
    if rng.random() < 0.6:
        parts.append(rng.choice(_BOILERPLATE_AFTER))
    return "\n\n".join(parts)


def _candidate_pairs(signatures: list[Signature]) -> set[tuple[int, int]]:
    buckets: dict[str, list[int]] = defaultdict(list)
    for index, sig in enumerate(signatures):
        for key in sig.band_keys:
            buckets[key].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b))
    return pairs


def run(data_dir: Path, *, out: TextIO | None, echo: Callable[[str], None]) -> dict[str, float]:
    corpus = [row.get("body") or "" for row in _read_jsonl(data_dir / "corpora" / "reuters.jsonl")]
    rng = random.Random(SEED)
    eligible = [i for i, body in enumerate(corpus) if len(body.split()) >= MIN_WORDS]
    originals = rng.sample(eligible, min(COPIES, len(eligible)))
    docs = [Doc(f"c{i}", body) for i, body in enumerate(corpus)]
    docs += [Doc(f"p{n}", make_copy(corpus[i], rng)) for n, i in enumerate(originals)]

    started = time.perf_counter()
    signatures = [neardup_signature(doc.body) for doc in docs]
    sign_ms = (time.perf_counter() - started) * 1000 / len(docs)
    flagged = [
        (a, b)
        for a, b in sorted(_candidate_pairs(signatures))
        if is_near_duplicate(signatures[a], signatures[b])
        and verify_near_duplicate(docs[a].body, docs[b].body)
    ]

    n_corpus = len(corpus)

    def correct(a: int, b: int) -> bool:
        if a >= n_corpus and b >= n_corpus:
            return is_repeat(corpus[originals[a - n_corpus]], corpus[originals[b - n_corpus]])
        corpus_doc, copy_doc = (a, b) if b >= n_corpus else (b, a)
        return is_repeat(corpus[corpus_doc], corpus[originals[copy_doc - n_corpus]])

    with_copy = [(a, b) for a, b in flagged if a >= n_corpus or b >= n_corpus]
    right = sum(1 for a, b in with_copy if correct(a, b))
    planted = {(i, n_corpus + n) for n, i in enumerate(originals)}
    found = sum(1 for pair in flagged if pair in planted)
    corpus_pairs = sum(1 for a, b in flagged if b < n_corpus and not is_repeat(corpus[a], corpus[b]))
    if out is not None:
        for a, b in flagged:
            out.write(json.dumps({"a": docs[a].key, "b": docs[b].key}) + "\n")
    echo(f"neardup: {n_corpus} corpus docs, {len(planted)} planted copies, {len(flagged)} flagged pairs")
    return {
        "neardup_precision": right / len(with_copy) if with_copy else 1.0,
        "neardup_recall": found / len(planted) if planted else 1.0,
        "corpus_pairs_flagged": float(corpus_pairs),
        "sign_ms_per_doc": sign_ms,
    }
