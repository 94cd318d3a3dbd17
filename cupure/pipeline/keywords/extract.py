"""Per-article terms: unigrams, names as phrases, and topical bigrams, one key per term.

How capital letters are read decides most of the quality here. A capital means "name" only where
the writer had a choice: mid-sentence in sentence-case text. The first word of a sentence, every
word of a Title Case headline and every word of an ALL CAPS wire headline carry no such signal, so
there a word is treated as lower case (acronyms excepted) and no name is built from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from cupure.pipeline.keywords.words import (
    LINKING_WORDS,
    NAME_CONNECTORS,
    NAME_TITLES,
    UNIT_WORDS,
    VERBISH_WORDS,
    fold_plural,
    is_stop,
    strip_possessive,
)

TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0
# Repeating a word in a long body says less each time; three mentions is "this is about it".
BODY_MENTIONS_CAP = 3
# Topics are set in the opening paragraphs; reading further costs time and adds passing mentions.
BODY_CHARS = 6000
MAX_NAME_WORDS = 4
# A name may be followed by up to this many lower-case nouns it names ("National Cup final").
MAX_NAMED_NOUNS = 2
# ... and such a phrase is a term when in the title or mentioned this often in the body.
NAMED_PHRASE_BODY_MENTIONS = 2
MAX_TERMS = 40
# Wire headlines in capitals ("BAHIA COCOA REVIEW") give no case signal; a few mixed words allowed.
_ALL_CAPS_SHARE = 0.7

# A hyphen joins "far-right"; it separates "Russia-Ukraine" (see _split_hyphenated).
# No word starts inside another: "89th" and "4G" give no "th" or "G".
_TOKEN = re.compile(r"(?<!\w)(?:(?:[A-Za-z]\.){2,}|[^\W\d_][\w'\u2019]*(?:-[\w'\u2019]+)*)")
# Punctuation that ends a sentence or a headline part: the next word's capital is not a signal.
_SEGMENT_BREAK = re.compile(r"[.!?:;|\u2013\u2014\"\u201c\u201d]|\s-\s|\n|^['\u2018]|\s['\u2018]")
_HYPHEN_PREFIXES = frozenset({"anti", "pro", "post", "pre", "ex", "non", "mid", "neo", "pan", "trans"})
_PACKAGING = frozenset({"watch", "live", "latest", "video", "breaking", "exclusive", "analysis", "opinion"})


@dataclass(frozen=True)
class Term:
    """One term of one article. ``key`` is the normalised form shared by all spellings.

    ``in_name`` marks a single word seen only as part of a longer name in this article (``house``
    from "White House"): the strip will not show such a word on its own. Where ``surface`` came
    from: ``surface_in_name`` when only from inside longer names ("Cup" of "National Cup"),
    ``guessed`` when only from where case says nothing (a headline's first word), lower-cased.
    """

    key: str
    surface: str
    weight: float
    is_entity: bool
    in_name: bool = False
    surface_in_name: bool = False
    guessed: bool = False


@dataclass
class _Token:
    text: str
    lower: str
    start: int
    end: int
    initial: bool = False
    joined: bool = False  # no punctuation between this token and the previous one
    # How an "&" joined it to the previous token ("&" in "AT&T", " & " in "Marks & Spencer"), else "".
    ampersand: str = ""
    informative: bool = True  # its capital letter says something

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()

    @property
    def acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return 2 <= len(letters) <= 5 and all(c.isupper() for c in letters)


@dataclass
class _Acc:
    surfaces: list[str] = field(default_factory=list)
    title: bool = False
    body: int = 0
    entity: bool = False
    outside_name: bool = False
    # Capitalised spellings seen only inside longer names ("Cup" of "National Cup"), and whether the
    # writer also wrote the word in lower case where case is a choice ("won the cup").
    name_surfaces: list[str] = field(default_factory=list)
    written_lower: bool = False
    # Spellings from where case says nothing (a sentence's first word, a Title Case headline),
    # lower-cased: the spelling only when the writer never wrote the term anywhere else.
    guessed: list[str] = field(default_factory=list)

    def all_surfaces(self) -> list[str]:
        """A capital inside a longer name is no evidence for the word alone when the writer also
        writes it in lower case: then it is a common noun here ("cup"), else a name ("Badenoch")."""
        inner = [s.lower() for s in self.name_surfaces] if self.written_lower else self.name_surfaces
        return self.surfaces + inner or self.guessed


# A word not joined to another by a hyphen, and a hyphenated compound.
_ALONE = re.compile(r"(?<![\w-])[^\W\d_]\w*(?![\w-])")
_COMPOUND = re.compile(r"(?<![\w-])[^\W\d_][\w'\u2019]*(?:-[\w'\u2019]+)+")


def one_word_compounds(title: str, body: str) -> frozenset[str]:
    """Hyphenated names that are one name here: "Ambrose-Hale", "Jean-Luc", "Rolls-Royce".

    A compound of names is split ("Russia-Ukraine war" is about Russia and Ukraine), except when
    the article never writes any of its parts alone: then it is a double-barrelled name or a brand.
    A headline alone is no evidence either way, so without a body every compound is split.
    """
    if not body.strip():
        return frozenset()
    text = f"{title}\n{body[:BODY_CHARS]}"
    alone = {m.group().lower() for m in _ALONE.finditer(text)}
    whole = set()
    for match in _COMPOUND.finditer(text):
        compound = strip_possessive(match.group())
        parts = [p for p in compound.split("-") if p]
        # "Mid-March", "Pre-Christmas": a prefix or a stop word, split as before, is no name.
        plain = any(p.lower() in _HYPHEN_PREFIXES or is_stop(p.lower()) for p in parts)
        if any(p[:1].isupper() for p in parts) and not plain and not any(p.lower() in alone for p in parts):
            whole.add(compound.lower())
    return frozenset(whole)


def _split_hyphenated(
    text: str, start: int, whole: frozenset[str] = frozenset()
) -> Iterator[tuple[str, int]]:
    parts = text.split("-")
    if len(parts) == 1 or all(p[:1].islower() for p in parts) or strip_possessive(text).lower() in whole:
        yield text, start
        return
    offset = start
    for part in parts:
        if part and part[:1].isalpha() and part.lower() not in _HYPHEN_PREFIXES:
            yield part, offset
        offset += len(part) + 1


def _tokens(text: str, whole: frozenset[str] = frozenset()) -> list[_Token]:
    breaks = [m.end() for m in _SEGMENT_BREAK.finditer(text)]
    out: list[_Token] = []
    prev_end = -1
    for match in _TOKEN.finditer(text):
        for part, start in _split_hyphenated(match.group(), match.start(), whole):
            end = start + len(part)
            between = text[prev_end:start] if prev_end >= 0 else ""
            token = _Token(text=part, lower=part.lower(), start=start, end=end)
            token.joined = prev_end >= 0 and between.strip() == ""
            if prev_end >= 0 and between.strip() == "&":
                token.ampersand = "&" if between == "&" else " & "
            token.initial = prev_end < 0 or any(prev_end <= b <= start for b in breaks)
            out.append(token)
            prev_end = end
    return out


def _mark_case_signal(tokens: list[_Token]) -> None:
    """Decide which capitals carry meaning (see the module docstring).

    Title Case shows itself by having no lower-case word but function words ("Meet the Combative
    Populist on a Path"); a sentence-case headline nearly always has a lower-case verb or noun.
    """
    words = [t for t in tokens if t.text[:1].isalpha()]
    letters = [t for t in words if len(t.text) > 1]
    all_caps = len(letters) >= 2 and sum(t.text.isupper() for t in letters) >= _ALL_CAPS_SHARE * len(letters)
    lower_content = sum(1 for t in words if not t.capital and not is_stop(t.lower))
    inner_caps = sum(1 for t in words if t.capital and not t.initial)
    title_case = lower_content == 0 and inner_caps >= 2
    for t in tokens:
        if all_caps:
            t.informative = False
        elif title_case or t.initial:
            t.informative = t.acronym


def _unigram_key(token: _Token) -> str:
    word = strip_possessive(token.lower).replace(".", "")
    # A capital that is a real signal marks a name, and names are not plural-folded (Wales, Reeves).
    if token.informative and token.capital:
        return word
    return fold_plural(word)


def _surface(token: _Token) -> str:
    text = strip_possessive(token.text)
    return text if token.informative and token.capital else text.lower()


def _name_runs(tokens: list[_Token]) -> Iterator[list[_Token]]:
    """Runs of capitalised words (with inner connectors), titles removed, stop words off the edges."""
    run: list[_Token] = []
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        next_is_name = nxt is not None and (nxt.joined or bool(nxt.ampersand)) and _is_name_word(nxt)
        # "Paris Hilton and ...": a sentence's first word is part of a name when a name follows it.
        is_name_word = _is_name_word(t) or (t.initial and t.capital and next_is_name and not is_stop(t.lower))
        is_connector = bool(run) and t.lower in NAME_CONNECTORS and next_is_name
        # "Marks & Spencer", "S&P": an ampersand between two name words is inside the name.
        joined = t.joined or bool(t.ampersand) and is_name_word
        continues = bool(run) and joined and not run[-1].lower.endswith(("'s", "\u2019s"))
        if (is_name_word or is_connector) and (continues or not run):
            run.append(t)
            continue
        if run:
            yield _trim(run)
        run = [t] if is_name_word else []
    if run:
        yield _trim(run)


def _is_name_word(t: _Token) -> bool:
    return t.capital and t.informative and t.lower not in NAME_TITLES


def _spelled(run: list[_Token], words: list[str]) -> str:
    """A name's words rejoined as written: a space, or the ampersand that joined them."""
    pieces = [(t.ampersand or " ") + word for t, word in zip(run[1:], words[1:], strict=True)]
    return words[0] + "".join(pieces)


def _trim(run: list[_Token]) -> list[_Token]:
    # A word an ampersand holds ("AT" of "AT&T") is part of the name, whatever it is alone.
    while (
        len(run) > 1
        and not run[1].ampersand
        and (is_stop(run[0].lower) or run[0].lower in NAME_CONNECTORS or run[0].lower in _PACKAGING)
    ):
        run = run[1:]
    while (
        len(run) > 1
        and not run[-1].ampersand
        and (is_stop(strip_possessive(run[-1].lower)) or run[-1].lower in NAME_CONNECTORS)
    ):
        run = run[:-1]
    if len(run) == 1 and (is_stop(strip_possessive(run[0].lower)) or run[0].lower in NAME_CONNECTORS):
        return []
    return run


def _add(
    acc: dict[str, _Acc],
    key: str,
    surface: str,
    *,
    in_title: bool,
    entity: bool,
    in_name: bool,
    written_lower: bool = False,
    guessed: bool = False,
) -> None:
    entry = acc.setdefault(key, _Acc())
    if guessed:
        entry.guessed.append(surface)
    elif in_name and surface != surface.lower():
        entry.name_surfaces.append(surface)
    else:
        entry.surfaces.append(surface)
    entry.written_lower = entry.written_lower or written_lower
    if in_title:
        entry.title = True
    else:
        entry.body += 1
    entry.entity = entry.entity or entity
    entry.outside_name = entry.outside_name or not in_name


def _is_noun_word(t: _Token) -> bool:
    """A lower-case word that can be the thing a name names: not a function, generic or verb word."""
    word = strip_possessive(t.lower)
    return (
        t.text[:1].islower()
        and len(word) > 1
        and word.replace("-", "").replace("'", "").isalpha()
        and not is_stop(word)
        and word not in VERBISH_WORDS
        and word not in LINKING_WORDS
        and not word.endswith(("ed", "ly"))
        # "-s" after a name is as often a verb as a plural ("White House grows", "Storm Ilse batters").
        and (not word.endswith("s") or word.endswith(("ss", "us", "is")))
    )


def _named_phrases(tokens: list[_Token], run: list[_Token]) -> Iterator[tuple[str, str]]:
    """Key and surface of the name followed by one, then two, lower-case nouns ("Halcyon probe").

    A name of one word plus one noun is already a topical pair, so only longer phrases come from
    here. No phrase ends on a word in -ing ("Storm Ilse causing"); a verb, a plural or a possessive
    ends it.
    """
    if run[-1].lower.endswith(("'s", "\u2019s")):
        return
    index = next(i for i, t in enumerate(tokens) if t is run[-1])
    keys = [_spelled(run, [strip_possessive(t.lower).replace(".", "") for t in run])]
    surfaces = [_spelled(run, [strip_possessive(t.text) for t in run])]
    words = len(run)
    for t in tokens[index + 1 : index + 1 + MAX_NAMED_NOUNS]:
        if not (t.joined and _is_noun_word(t)):
            return
        keys.append(_unigram_key(t))
        surfaces.append(_surface(t))
        words += 1
        if words > 2 and not t.lower.endswith("ing"):
            yield " ".join(keys), " ".join(surfaces)
        if t.lower.endswith(("'s", "\u2019s")):
            return


def _collect(
    text: str,
    acc: dict[str, _Acc],
    *,
    in_title: bool,
    english: bool,
    phrases: dict[str, list[str]] | None = None,
    whole: frozenset[str] = frozenset(),
) -> None:
    """Add the terms of ``text`` to ``acc``; name + noun phrases go to ``phrases`` (key -> surfaces)
    for the caller to keep the repeated ones."""
    for line in text.splitlines() or [text]:
        tokens = _tokens(line, whole)
        _mark_case_signal(tokens)
        in_names: set[int] = set()  # tokens inside a name of two words or more
        single_names: set[int] = set()  # one-word names, already added as entities
        for run in _name_runs(tokens):
            if english and phrases is not None and 1 <= len(run) <= MAX_NAME_WORDS:
                for key, surface in _named_phrases(tokens, run):
                    phrases.setdefault(key, []).append(surface)
            if 2 <= len(run) <= MAX_NAME_WORDS:
                key = _spelled(run, [strip_possessive(t.lower).replace(".", "") for t in run])
                surface = _spelled(run, [strip_possessive(t.text) for t in run])
                if is_stop(key):  # "Q&A"
                    continue
                _add(acc, key, surface, in_title=in_title, entity=True, in_name=False)
                in_names.update(id(t) for t in run)
            elif len(run) == 1:
                t = run[0]
                _add(acc, _unigram_key(t), _surface(t), in_title=in_title, entity=True, in_name=False)
                single_names.add(id(t))
        _collect_words(tokens, acc, in_names, single_names, in_title=in_title, english=english)


def _collect_words(
    tokens: list[_Token],
    acc: dict[str, _Acc],
    in_names: set[int],
    single_names: set[int],
    *,
    in_title: bool,
    english: bool,
) -> None:
    prev: _Token | None = None
    for t in tokens:
        word = strip_possessive(t.lower)
        # An acronym written as one ("US", "WHO") is a name even where the lower-case word is not.
        named_acronym = t.acronym and t.informative
        usable = (
            len(word) > 1
            and (named_acronym or not is_stop(word))
            and word not in UNIT_WORDS
            and (english or named_acronym or t.capital and t.informative)
        )
        if usable and id(t) not in single_names:
            in_name = id(t) in in_names
            written_lower = t.informative and not t.capital
            _add(
                acc,
                _unigram_key(t),
                _surface(t),
                in_title=in_title,
                entity=False,
                in_name=in_name,
                written_lower=written_lower,
                guessed=not t.informative,
            )
        # A topical pair ("Gaza ceasefire", "interest rates"), never a piece of a longer name.
        # A lower-case word before a name is a verb or a preposition far more often than a topic
        # ("batters Saltreach", "visits Paris"); the topic there is the name, counted on its own.
        pair = (
            english
            and usable
            and prev is not None
            and t.joined
            and id(t) not in in_names
            and not (prev.text[:1].islower() and t.capital)
        )
        if pair and prev is not None:
            key = f"{_unigram_key(prev)} {_unigram_key(t)}"
            surface = f"{_surface(prev)} {_surface(t)}"
            guessed = not (prev.informative and t.informative)
            _add(acc, key, surface, in_title=in_title, entity=False, in_name=False, guessed=guessed)
        ends_phrase = t.lower.endswith(("'s", "\u2019s")) or id(t) in in_names
        prev = t if usable and not ends_phrase else None


def extract_terms(title: str, text: str, *, language: str | None = None) -> list[Term]:
    """The article's terms, heaviest first: title words weigh ``TITLE_WEIGHT``, body mentions 1 each."""
    english = language is None or language.lower().startswith("en")
    acc: dict[str, _Acc] = {}
    title_phrases: dict[str, list[str]] = {}
    body_phrases: dict[str, list[str]] = {}
    whole = one_word_compounds(title or "", text or "")
    _collect(title or "", acc, in_title=True, english=english, phrases=title_phrases, whole=whole)
    body = (text or "")[:BODY_CHARS]
    _collect(body, acc, in_title=False, english=english, phrases=body_phrases, whole=whole)
    # A name with the nouns it names ("Lisbon trade summit") is a term only when the writer repeats it.
    for key in title_phrases.keys() | body_phrases.keys():
        in_title = key in title_phrases
        mentions = body_phrases.get(key, [])
        if in_title or len(mentions) >= NAMED_PHRASE_BODY_MENTIONS:
            entry = acc.setdefault(key, _Acc())
            entry.surfaces.extend(title_phrases.get(key, []) + mentions)
            entry.title = entry.title or in_title
            entry.body += len(mentions)
            entry.entity = True
            entry.outside_name = True
    terms = [
        Term(
            key=key,
            surface=max(set(a.all_surfaces()), key=lambda s: (a.all_surfaces().count(s), s)),
            weight=TITLE_WEIGHT * a.title + BODY_WEIGHT * min(a.body, BODY_MENTIONS_CAP),
            is_entity=a.entity,
            in_name=not a.outside_name,
            surface_in_name=not a.surfaces and bool(a.name_surfaces),
            guessed=not (a.surfaces or a.name_surfaces),
        )
        for key, a in acc.items()
    ]
    # At equal weight names come first, then single words, then pairs, so a cut keeps the names.
    terms.sort(key=lambda t: (-t.weight, not t.is_entity, " " in t.key, t.key))
    return terms[:MAX_TERMS]
