"""Choosing the keyword chips shown under an article or a story.

Chips are a handful of terms, so every one must add something: no term twice in two spellings, no
word that a shown name already holds ("Redmarsh" beside "Redmarsh Rovers"), and only a few plain
lower-case words, which are often a headline's verbs or generic nouns ("final", "club"). A plain
word that is a headline verb ("launches", "cuts"), a linking word ("despite") or a participle
("expected") is never a chip: recurring makes it no more of a topic.

A term with a lower-case word in it ("bike lane", "probe lifts", "Redmarsh Rovers snatch") is a chip
only when it recurs: its article's body repeats the headline's phrase, or another article carries it.
Without a part-of-speech tagger a headline's subject and verb look like a topical pair; what tells
them apart is that the body says "the probe lifted off" and nobody else writes "probe lifts", while
"bike lane" and "battery recycling" come back. Names ("Storm Ilse", "JORA") are chips on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cupure.pipeline.keywords.extract import TITLE_WEIGHT
from cupure.pipeline.keywords.strip import key_words
from cupure.pipeline.keywords.words import LINKING_WORDS, VERBISH_WORDS

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
    surface: str = ""  # as written; empty: taken as a name
    elsewhere: bool = True  # another article carries this term (story chips: always)


def weak_plain_word(word: str) -> bool:
    """A lower-case word that says nothing on its own however often it recurs: a headline verb
    ("launches", "cuts"), a linking word ("despite"), a participle ("expected", "protected")."""
    participle = len(word) > 4 and word.endswith("ed") and not word.endswith("eed")  # not "speed"
    return word in VERBISH_WORDS or word in LINKING_WORDS or participle


def _weak(candidate: ChipCandidate) -> bool:
    return weak_plain_word(candidate.key) or weak_plain_word(candidate.surface.lower())


def _recurs(candidate: ChipCandidate) -> bool:
    # An article term's weight is TITLE_WEIGHT for the headline plus one per body mention: above
    # TITLE_WEIGHT, the body repeats what the headline said.
    return candidate.elsewhere or candidate.weight > TITLE_WEIGHT or reads_as_name(candidate.surface)


def _chained_pieces(candidates: list[ChipCandidate]) -> set[str]:
    """The lighter of two phrases that chain, one ending where the other begins: "protected bike" and
    "bike lane", "community seed" and "seed banks" are pieces of one longer phrase, and one chip of
    it is enough. Only recurring, non-name phrases take part (a headline's "probe lifts" must not
    push out "Halcyon probe")."""
    phrases = [c for c in candidates if " " in c.key and _recurs(c) and not reads_as_name(c.surface)]
    lighter = set()
    for first in phrases:
        for second in phrases:
            if first is not second and first.key.split()[-1] == second.key.split()[0]:
                lighter.add(first.key if first.weight <= second.weight else second.key)
    return lighter


def reads_as_name(surface: str) -> bool:
    """Every word capitalised or a number: "Storm Ilse", "G7", "Marks & Spencer"; not "bike lane",
    "Storm Ilse clean-up"."""
    return all(word[:1].isupper() or word[:1].isdigit() for word in surface.split() if word != "&")


def choose_chips(
    candidates: Iterable[ChipCandidate], *, limit: int, plain_limit: int = PLAIN_CHIPS
) -> list[ChipCandidate]:
    """Names and phrases first (by weight), then at most ``plain_limit`` plain words; no overlaps."""
    candidates = list(candidates)
    pieces = _chained_pieces(candidates)
    ranked = sorted(
        (c for c in candidates if _recurs(c) and c.key not in pieces and not (c.plain and _weak(c))),
        key=lambda c: -c.weight,
    )
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
