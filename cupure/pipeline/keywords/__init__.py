"""Keyword extraction and the trending strip (pure functions, no Django).

``extract_terms`` turns one article into weighted terms; ``compute_strip`` turns the terms of recent
and earlier articles into the strip of rising terms. The product stores the first per article and
calls the second from ``trending.services``; the evaluation replays corpora through the same two.
"""

from cupure.pipeline.keywords.chips import ChipCandidate, choose_chips
from cupure.pipeline.keywords.extract import Term, extract_terms
from cupure.pipeline.keywords.strip import DocTerms, TrendingTerm, baseline_counts, compute_strip, key_words

__all__ = [
    "ChipCandidate",
    "DocTerms",
    "Term",
    "TrendingTerm",
    "baseline_counts",
    "choose_chips",
    "compute_strip",
    "extract_terms",
    "key_words",
]
