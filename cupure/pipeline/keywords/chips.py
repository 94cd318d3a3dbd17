"""Choosing the keyword chips shown under an article or a story.

Chips are a handful of terms, so every one must add something: no term twice in two spellings, no
word that a shown name already holds ("Redmarsh" beside "Redmarsh Rovers"), and only a few plain
lower-case words, which are often a headline's verbs or generic nouns ("final", "club").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cupure.pipeline.keywords.strip import key_words

PLAIN_CHIPS = 3
# A longer name replaces a shorter one it contains when it carries at least this share of its weight:
# "National Cup final" over "National Cup" when the story keeps saying the whole thing.
LONGER_NAME_SHARE = 0.5


@dataclass(frozen=True)
class ChipCandidate:
    key: str
    weight: float
    plain: bool  # a single lower-case word rather than a name or phrase
    payload: Any = None  # what the caller wants back (slug and display)


def choose_chips(
    candidates: Iterable[ChipCandidate], *, limit: int, plain_limit: int = PLAIN_CHIPS
) -> list[ChipCandidate]:
    """Names and phrases first (by weight), then at most ``plain_limit`` plain words; no overlaps."""
    ranked = sorted(candidates, key=lambda c: -c.weight)
    chosen: list[ChipCandidate] = []
    for candidate in [c for c in ranked if not c.plain] + [c for c in ranked if c.plain]:
        words = key_words(candidate.key)
        overlapping = [c for c in chosen if words <= key_words(c.key) or key_words(c.key) <= words]
        if not overlapping:
            chosen.append(candidate)
            continue
        # Only a longer, well-supported name may take the place of what it contains.
        if not candidate.plain and all(
            key_words(c.key) < words and candidate.weight >= LONGER_NAME_SHARE * c.weight for c in overlapping
        ):
            position = chosen.index(overlapping[0])
            chosen = [c for c in chosen if c not in overlapping]
            chosen.insert(min(position, len(chosen)), candidate)
    names = [c for c in chosen if not c.plain]
    plain = [c for c in chosen if c.plain][:plain_limit]
    return (names + plain)[:limit]
