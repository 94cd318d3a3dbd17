"""Tokenising for similarity: unicode words, per-language stop words, light stemming, CJK bigrams.

Everything here is deterministic and model-free so that the same text always gives the same terms,
whether it is vectorised at ingest or rebuilt from the database months later.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Words: letters/digits runs, keeping inner apostrophes and number separators ("1,234", "3.5", "o'neil").
_WORD_RE = re.compile(r"\w+(?:[\'’.,]\w+)*", re.UNICODE)
# Ideographic scripts have no spaces: they are represented by overlapping character bigrams.
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_SENTENCE_END = frozenset('.!?:;"“”«»\n')

# Compact stop lists written for this project: function words only (never content words such as
# English "war" that are stop words in another language), so a wrong language guess costs little.
_STOP_TEXT = {
    "en": """a about above after again against all also am an and any are as at be because been before
        being below between both but by can could did do does doing down during each few for from further
        had has have having he her here hers herself him himself his how i if in into is it its itself just
        me more most my myself no nor not now of off on once only or other our ours out over own same she
        should so some such than that the their theirs them then there these they this those through to too
        under until up very was we were what when where which while who whom why will with would you your
        yours said says say according told new one two also its it's he's she's they're we're i'm don't
        mr mrs ms last first year years time would could may might must per via amid""",
    "de": """aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
        auch auf aus bei bin bis bist da damit dann das dass dem den denn der des dich die dies diese diesem
        diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines er es etwas euch für
        gegen hat hatte hätte ich ihm ihn ihr ihre ihrem ihren ihrer im in ist jede jedem jeden jeder jedes
        jetzt kann kein keine man mein meine mich mir mit muss nach nicht noch nun nur ob oder ohne sehr sein
        seine seinem seinen seiner sich sie sind so soll sollte sondern um und uns unser unter viel vom von
        vor war waren was weil wenn wer werden wie wieder will wir wird wo zu zum zur über auch beim wurde
        wurden worden sei seien habe haben""",
    "fr": """a au aux avec ce ces cette dans de des du elle elles en est et eux il ils je la le les leur
        leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses
        son sont sur ta te tes toi ton tu un une vos votre vous y été être avoir ont était sont aussi plus
        comme tout tous toute cet après avant selon""",
    "es": """a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e
        el ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos fue fueron ha
        han hasta hay la las le les lo los más me mi mis mucho muy ni no nos o otra otras otro otros para
        pero por porque que quien se sea ser si sin sobre su sus también tan te tiene todo todos tu un una
        uno unos y ya está están según""",
    "it": """a ad al alla alle allo agli ai anche che chi con come da dal dalla dalle dai degli dei del
        della delle dello di e è ed gli ha hanno i il in la le lo loro ma ne negli nei nel nella nelle non
        o per più quale quando questa queste questo questi se si sono su sua sue suo suoi sul sulla tra
        un una uno anche essere stato stata come dopo""",
    "pl": """a aby ale bo by być był była było były czy dla do gdy i ich im jak jako je jego jej jest już
        ku lub ma mi mnie na nad nie niż o od oraz po pod przez przy się są ta tak także te tego tej ten to
        tu tym w we z za ze że także został została tylko który która które""",
    "tr": """acaba ama ancak bazı bir biri birkaç bu bunu da daha de değil diye en gibi hem her için ile
        ise ki kim mı mi mu mü ne o olan olarak olduğu ve veya ya şu çok sonra kadar""",
    "ru": """а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже
        для до его ее если есть еще же за здесь и из или им их к как ко когда который кто ли на над не
        нет но ну о об однако он она они оно от по под при с со так также такой там те то того тоже той
        только том ты у уже что чтобы эти этого этой это я""",
    "pt": """a ao aos as com como da das de do dos e é em entre era foi for isso mais mas na nas no nos o
        os ou para pela pelo por que se sem ser seu sua são também um uma""",
    "nl": """aan al als bij dan dat de der des die dit door een en er had heeft het hij hoe hun ik in is je
        kan maar met naar niet nog of om onder ook op over te tot uit van voor was wat we werd wie wij zal
        ze zich zij zijn""",
}
STOP_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _STOP_TEXT.items()}

# Case endings and plurals are cut so "Trumpa"/"Trump", "elections"/"election" meet; languages
# with rich morphology are cut to a fixed prefix (a known stemmer-free trick for inflected text).
_PREFIX_LANGS = {"de": 7, "pl": 6, "ru": 6, "tr": 6, "fr": 7, "es": 7, "it": 7, "pt": 7, "nl": 7}


@dataclass(frozen=True, slots=True)
class Token:
    """One term with whether it was written capitalised mid-sentence (a cheap named-entity cue)."""

    term: str
    capital: bool


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _english_stem(word: str) -> str:
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """Reduce a lower-cased word to its comparison form for ``lang`` (unknown languages: as English)."""
    if word[0].isdigit():
        return word.replace(",", "").rstrip(".")
    if lang == "ar":
        # Arabic glues the article and "and" to the word: strip them, as a light stemmer would.
        for clitic in ("وال", "بال", "لل", "ال", "و"):
            if word.startswith(clitic) and len(word) - len(clitic) >= 3:
                word = word[len(clitic) :]
                break
        return word[:5]
    prefix = _PREFIX_LANGS.get(lang)
    if prefix is not None:
        return word[:prefix]
    return _english_stem(word)


def _cjk_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokenize(text: str, lang: str = "en") -> list[Token]:
    """Terms of ``text`` in order: stop words dropped, stemmed; CJK runs as character bigrams."""
    stops = STOP_WORDS.get(lang, STOP_WORDS["en"])
    tokens: list[Token] = []
    sentence_start = True
    for match in _WORD_RE.finditer(text):
        raw = match.group()
        start = match.start()
        if start > 0:
            before = text[max(0, start - 3) : start].strip()
            sentence_start = not before or before[-1] in _SENTENCE_END
        cjk_runs = _CJK_RE.findall(raw)
        if cjk_runs:
            tokens.extend(Token(bigram, False) for run in cjk_runs for bigram in _cjk_bigrams(run))
            continue
        lower = raw.lower()
        if lower in stops or len(lower) < 2 and not lower.isdigit():
            continue
        capital = raw[0].isupper() and not sentence_start and not raw.isupper()
        tokens.append(Token(stem(lower, lang), capital))
    return tokens


def entity_phrases(text: str) -> list[str]:
    """Runs of two or more capitalised words ("White House", "Roy S. Moore"), lower-cased and joined."""
    phrases: list[str] = []
    run: list[str] = []
    for match in _WORD_RE.finditer(text):
        word = match.group()
        if word[0].isupper() and not word.isupper() and not _CJK_RE.search(word):
            run.append(word.lower())
            continue
        if len(run) >= 2:
            phrases.append("_".join(run))
        run = []
    if len(run) >= 2:
        phrases.append("_".join(run))
    return phrases


_NUMBER_RE = re.compile(r"(?<![\w.,])\d[\d,.]*\d|\b\d\b")
_LATIN_CAP_RE = re.compile(r"\b[A-Z][a-zA-Z]{2,}\b")

# A small Cyrillic -> Latin table so Russian names can meet their English spelling by prefix.
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
        strict=True,
    )
)


# The same spelling as a str.translate table, capitalised for capital letters ("Ж" -> "Zh").
_CYRILLIC_TABLE = {ord(ch): ("" if spelled == "_" else spelled) for ch, spelled in _CYRILLIC.items()} | {
    ord(ch.upper()): ("" if spelled == "_" else spelled.capitalize()) for ch, spelled in _CYRILLIC.items()
}


@lru_cache(maxsize=64)
def transliterate(text: str) -> str:
    """Accent-stripped, Cyrillic spelled in Latin letters: a crude common script for names.

    Cached: the pair scorer's views each read the same text's transliteration.
    """
    if text.isascii():
        return text
    return strip_accents(text).translate(_CYRILLIC_TABLE)


def anchors(text: str) -> list[str]:
    """Language-independent anchors: numbers (normalised) and capitalised Latin-script names cut to 5
    letters, so "Trumpa", "Trump's" and "Trump" meet across languages."""
    plain = transliterate(text)
    found = []
    for match in _NUMBER_RE.finditer(plain):
        digits = re.sub(r"[.,]", "", match.group())
        if len(digits) >= 2:
            found.append("#" + digits)
    for match in _LATIN_CAP_RE.finditer(plain):
        word = match.group().lower()
        if word not in STOP_WORDS["en"]:
            found.append("@" + word[:5])
    return found
