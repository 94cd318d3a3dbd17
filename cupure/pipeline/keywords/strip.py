"""The trending strip: terms rising now against their own baseline, one form each, no fragments.

Steps (``compute_strip``):
1. count, per key, the distinct articles where the term is prominent (title, or repeated in the
   body), the distinct sources, the surface forms and the first sighting; the same for the baseline;
2. merge keys that are one word in two spellings (``reeve``/``reeves`` when both were seen);
3. keep terms seen in enough articles and sources, clearly above their baseline rate, and not a
   word that mostly appeared inside a longer name (``house`` of "White House");
4. settle names against their parts: phrases that carry most of a word's articles replace the
   word (``white house`` over ``house``), otherwise the word stays and the phrases go;
5. rank by burst score; pinned terms first, blocked terms never;
6. where a term's own baseline is thin (under one article expected), its ratio says little, so a
   single common noun (shown in lower case: nobody writes it as a name) is ranked below names and
   phrases, and left out when the strip already holds 3 in 4 of its articles: "homes" or "coast"
   only restate the storm and the cup final already shown, or span them both.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cupure.pipeline.keywords.extract import Term
from cupure.pipeline.keywords.words import plural_variants

# An article counts for a term when the term is in its title or mentioned twice in its body.
MIN_DOC_WEIGHT = 2.0
# Now must beat the baseline rate by this factor (after add-one smoothing) to be "rising".
MIN_RATIO = 1.5
# Longer terms replace a term they contain when together they hold more than this share of its articles.
ABSORB_SHARE = 0.5
# A single word seen inside longer names in more than this share of its articles is a fragment.
IN_NAME_SHARE = 0.5
MAX_DOC_IDS = 20
# Share of capitalised sightings from which a term is shown as a name ("Hamas", not "hamas").
CAPITAL_SHARE = 0.1
# Below this many expected articles a term's baseline is thin: its ratio to now is mostly noise.
THIN_EXPECTED = 1.0
# Score factor of a single common noun on a thin baseline (names and phrases keep theirs).
COMMON_NOUN_PRIOR = 0.5
# ... and left out when this share of its articles is already behind terms on the strip.
RESTATE_SHARE = 0.75


@dataclass(frozen=True)
class DocTerms:
    """One article as the strip sees it: who published it, when, and its terms."""

    doc_id: str
    source: str
    seen_at: datetime
    terms: Sequence[Term]


@dataclass(frozen=True)
class TrendingTerm:
    """A strip entry with its explanation: counts now vs the baseline rate for the same span."""

    key: str
    display: str
    score: float
    count_now: int
    baseline_rate: float
    sources: int
    first_seen: datetime | None
    keys: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    pinned: bool = False


@dataclass
class _Stats:
    docs: dict[str, float] = field(default_factory=dict)  # doc id -> weight
    sources: set[str] = field(default_factory=set)
    surfaces: Counter[str] = field(default_factory=Counter)
    # per spelling (lower-cased): the articles and sources that used exactly that spelling
    spelled: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    first_seen: datetime | None = None
    in_name_docs: int = 0
    keys: set[str] = field(default_factory=set)
    baseline: int = 0
    baseline_surfaces: Counter[str] = field(default_factory=Counter)
    # Spellings from articles that wrote the word only inside longer names ("Cup" of "National Cup"),
    # and lower-case ones from articles that wrote it alone where case is the writer's choice.
    name_surfaces: Counter[str] = field(default_factory=Counter)
    written_lower: int = 0

    def absorb(self, other: _Stats) -> None:
        for doc_id, weight in other.docs.items():
            self.docs[doc_id] = max(weight, self.docs.get(doc_id, 0.0))
        self.sources |= other.sources
        self.surfaces.update(other.surfaces)
        self.name_surfaces.update(other.name_surfaces)
        self.written_lower += other.written_lower
        for form, (docs, sources) in other.spelled.items():
            mine = self.spelled.setdefault(form, (set(), set()))
            mine[0].update(docs)
            mine[1].update(sources)
        self.in_name_docs += other.in_name_docs
        self.keys |= other.keys
        self.baseline += other.baseline
        self.baseline_surfaces.update(other.baseline_surfaces)
        if other.first_seen is not None and (self.first_seen is None or other.first_seen < self.first_seen):
            self.first_seen = other.first_seen


def key_words(key: str) -> frozenset[str]:
    """The words of a key, as used for the fragment rule (``russia-ukraine`` and ``at&t`` have two)."""
    return frozenset(w for w in re.split(r"[\s\-&]+", key) if w)


def _count_now(docs: Iterable[DocTerms]) -> dict[str, _Stats]:
    stats: dict[str, _Stats] = {}
    for doc in docs:
        for term in doc.terms:
            if term.weight < MIN_DOC_WEIGHT:
                continue
            s = stats.setdefault(term.key, _Stats(keys={term.key}))
            if doc.doc_id in s.docs:
                continue
            s.docs[doc.doc_id] = term.weight
            s.sources.add(doc.source)
            s.surfaces[term.surface] += 1
            docs, sources = s.spelled.setdefault(term.surface.lower(), (set(), set()))
            docs.add(doc.doc_id)
            sources.add(doc.source)
            s.in_name_docs += term.in_name
            if term.surface_in_name:
                s.name_surfaces[term.surface] += 1
            elif not term.guessed and term.surface == term.surface.lower():
                s.written_lower += 1
            if s.first_seen is None or doc.seen_at < s.first_seen:
                s.first_seen = doc.seen_at
    return stats


def baseline_counts(docs: Iterable[DocTerms]) -> dict[str, Counter[str]]:
    """Per key, how many baseline articles carry it prominently, by surface form.

    This is all ``compute_strip`` needs of the baseline, so a caller holding many articles can
    count them in its database (one row per key and surface) and pass ``baseline=`` instead.
    """
    counts: dict[str, Counter[str]] = {}
    for doc in docs:
        seen: set[str] = set()
        for term in doc.terms:
            if term.weight >= MIN_DOC_WEIGHT and term.key not in seen:
                seen.add(term.key)
                counts.setdefault(term.key, Counter())[term.surface] += 1
    return counts


def _count_baseline(counts: Mapping[str, Mapping[str, int]], stats: dict[str, _Stats]) -> dict[str, int]:
    totals = {key: sum(surfaces.values()) for key, surfaces in counts.items()}
    for key, s in stats.items():
        s.baseline = totals.get(key, 0)
        s.baseline_surfaces.update(counts.get(key, {}))
    return totals


def _merge_spellings(stats: dict[str, _Stats], baseline: dict[str, int]) -> None:
    """Fold ``keys``/``keyes``/``kies`` into ``key`` when the singular was seen (now or before)."""
    for key in sorted(stats, key=len):
        if key not in stats:
            continue
        for variant in plural_variants(key):
            if variant in stats:
                stats[key].absorb(stats.pop(variant))
            elif variant in baseline:
                stats[key].baseline += baseline[variant]
    for key in [k for k in stats if k not in baseline]:
        # A plural seen now whose singular only appears in the baseline: count the history too.
        singular = _singular_in(key, baseline)
        if singular is not None:
            stats[key].baseline += baseline[singular]


def _singular_in(key: str, baseline: dict[str, int]) -> str | None:
    for cut, tail in ((1, ""), (2, ""), (3, "y")):
        candidate = key[:-cut] + tail
        if candidate != key and candidate in baseline and key in plural_variants(candidate):
            return candidate
    return None


def _score(count: int, expected: float) -> float:
    """Big and rising: the count times the log of how far it is above its baseline."""
    return count * math.log((count + 1.0) / (expected + 1.0))


def _main_form(s: _Stats) -> str:
    """The lower-cased spelling used by most articles: what the strip shows."""
    return max(s.spelled.items(), key=lambda kv: (len(kv[1][0]), len(kv[1][1]), kv[0]))[0]


def _display(s: _Stats) -> str:
    """The main spelling, capitalised as its writers do.

    Extracted surfaces are lower-cased wherever a capital was only position (sentence start, Title
    Case), so a capitalised surface is a writer's choice: a name. It wins once it is a real share
    of the sightings, the baseline's included (a country named only at headline starts today).
    """
    form = _main_form(s)
    seen = s.surfaces + s.baseline_surfaces
    if s.written_lower:
        # A capital seen only inside a name says nothing of the word alone once other articles write
        # it in lower case: "the cup" beside "National Cup final" is the common noun "cup".
        seen -= Counter({surface: n for surface, n in s.name_surfaces.items() if surface != form})
    cases = {surface: n for surface, n in seen.items() if surface.lower() == form}
    capitalised = {surface: n for surface, n in cases.items() if surface != surface.lower()}
    if capitalised and sum(capitalised.values()) >= CAPITAL_SHARE * sum(cases.values()):
        cases = capitalised
    return max(cases.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _settle_fragments(cands: dict[str, _Stats]) -> None:
    """Step 4, shortest terms first: a term mostly seen inside longer candidates leaves for them
    ("air" for "air india" and "air force one"); otherwise the longer candidates leave for it
    ("trump" stays, "donald trump" goes). No candidate is then a part of another.
    """
    for key in sorted(cands, key=lambda k: (len(key_words(k)), k)):
        if key not in cands:
            continue
        words = key_words(key)
        longer = [k for k in cands if words < key_words(k)]
        if not longer:
            continue
        docs = cands[key].docs
        covered = set().union(*(cands[k].docs.keys() for k in longer)) & docs.keys()
        if len(covered) > ABSORB_SHARE * len(docs):
            del cands[key]
        else:
            for k in longer:
                del cands[k]


def _common_noun(key: str, s: _Stats) -> bool:
    """A single word its writers keep in lower case: a common noun, not a name or an acronym."""
    return len(key_words(key)) == 1 and bool(s.surfaces) and _display(s) == _display(s).lower()


def _rank_score(key: str, s: _Stats, expected: float) -> float:
    score = _score(len(s.docs), expected)
    if expected < THIN_EXPECTED and _common_noun(key, s):
        return score * COMMON_NOUN_PRIOR
    return score


def _restates(s: _Stats, shown_docs: set[str]) -> bool:
    """The term's articles are (nearly all) already behind terms on the strip."""
    return len(s.docs.keys() & shown_docs) >= RESTATE_SHARE * len(s.docs)


def _conflicts(key: str, chosen: Iterable[str]) -> bool:
    words = key_words(key)
    return any(words < key_words(c) or key_words(c) < words or words == key_words(c) for c in chosen)


def _entry(key: str, s: _Stats, expected: float, *, pinned: bool = False) -> TrendingTerm:
    ranked = sorted(s.docs.items(), key=lambda kv: -kv[1])
    return TrendingTerm(
        key=key,
        display=_display(s) if s.surfaces else key,
        score=round(_score(len(s.docs), expected), 4),
        count_now=len(s.docs),
        baseline_rate=round(expected, 4),
        sources=len(s.sources),
        first_seen=s.first_seen,
        keys=tuple(sorted(s.keys)),
        doc_ids=tuple(doc_id for doc_id, _ in ranked[:MAX_DOC_IDS]),
        pinned=pinned,
    )


def compute_strip(
    docs_now: Iterable[DocTerms],
    docs_baseline: Iterable[DocTerms],
    *,
    now_span: timedelta,
    baseline_span: timedelta,
    size: int = 10,
    min_sources: int = 2,
    min_count: int = 3,
    pinned: Sequence[str] = (),
    blocked: Iterable[str] = (),
    baseline: Mapping[str, Mapping[str, int]] | None = None,
) -> list[TrendingTerm]:
    """The strip for the ``now_span`` window, best first (see the module docstring for the steps).

    ``docs_baseline`` are the articles of the ``baseline_span`` before it; their counts are scaled
    to ``now_span`` to give each term's expected count. ``pinned``/``blocked`` hold keys set by
    editors; a blocked key also hides its plural spellings. ``baseline``, when given, replaces
    ``docs_baseline`` with its counts as made by ``baseline_counts``.
    """
    stats = _count_now(docs_now)
    baseline_totals = _count_baseline(baseline_counts(docs_baseline) if baseline is None else baseline, stats)
    _merge_spellings(stats, baseline_totals)
    scale = now_span / baseline_span if baseline_span > timedelta(0) else 0.0
    blocked_keys = set(blocked)
    blocked_keys |= {v for k in blocked_keys for v in plural_variants(k)}

    chosen: list[TrendingTerm] = []
    for key in pinned:
        if key not in blocked_keys:
            s = stats.get(key, _Stats(keys={key}))
            chosen.append(_entry(key, s, s.baseline * scale, pinned=True))

    cands: dict[str, _Stats] = {}
    for key, s in stats.items():
        count = len(s.docs)
        expected = s.baseline * scale
        if s.keys & blocked_keys or count < min_count or len(s.sources) < min_sources:
            continue
        # The spelling shown must itself be common enough: "US" is not trending on "U.S." alone.
        form_docs, form_sources = s.spelled[_main_form(s)]
        if len(form_docs) < min_count or len(form_sources) < min_sources:
            continue
        if len(key_words(key)) == 1 and s.in_name_docs > IN_NAME_SHARE * count:
            continue
        if (count + 1.0) / (expected + 1.0) >= MIN_RATIO:
            cands[key] = s
    _settle_fragments(cands)

    ranked = sorted(cands.items(), key=lambda kv: (-_rank_score(kv[0], kv[1], kv[1].baseline * scale), kv[0]))
    shown_docs = {doc_id for c in chosen for doc_id in stats.get(c.key, _Stats()).docs}
    for key, s in ranked:
        if len(chosen) >= size:
            break
        if _conflicts(key, [c.key for c in chosen]):
            continue
        expected = s.baseline * scale
        if expected < THIN_EXPECTED and _common_noun(key, s) and _restates(s, shown_docs):
            continue
        chosen.append(_entry(key, s, expected))
        shown_docs |= s.docs.keys()
    return chosen[:size] if len(chosen) > size else chosen


__all__ = ["DocTerms", "TrendingTerm", "baseline_counts", "compute_strip", "key_words"]
