"""Word lists and the one-form-per-word folding rule for keyword keys.

The lists are cupure's own. They hold three kinds of word that must never trend on their own:
function words, the vocabulary of news packaging (``live``, ``watch``, ``latest``) and calendar or
number words, which rise every Monday or every January without being news.
"""

from __future__ import annotations

import re

FUNCTION_WORDS = frozenset(
    """
    a about above across after afterwards again against ago ahead all almost alone along already also
    although always am among amid amidst an and another any anybody anyone anything anyway anywhere
    are around as at away back be became because become becomes been before behind being below beside
    besides between beyond both but by can cannot could did do does doing done down during each either
    else enough even ever every everybody everyone everything everywhere few for from further get gets
    getting got had has have having he her here hers herself him himself his how however i if in inside
    into is it its itself just least less like many may me might mine more most much must my myself near
    neither never next no nobody none nor not nothing now of off often on once one only onto or other
    others otherwise our ours ourselves out outside over own per perhaps quite rather really same she
    should since so some somebody someone something sometimes somewhere soon still such than that the
    their theirs them themselves then there these they thing things this those though through
    throughout thus till to together too toward towards under unless until up upon us very via was we
    well were what whatever when whenever where whether which while who whoever whole whom whose why
    will with within without would yet you your yours yourself yourselves
    aren't can't couldn't didn't doesn't don't hadn't hasn't haven't isn't it's i'm i've i'd i'll
    let's shouldn't that's there's they're they've wasn't we're we've weren't what's who's won't
    wouldn't you're you've he's she's
    """.split()
)

# Words that fill headlines on every day of the year: packaging, reporting verbs, vague nouns.
GENERIC_NEWS_WORDS = frozenset(
    """
    news new latest live watch video videos update updates breaking analysis opinion review explainer
    explained q&a listen podcast pictures picture photos photo gallery interview exclusive report reports
    reported reporting reporter says say said saying tells told tell asks asked claims claim warns
    warned warning calls called call urges urged vows set sets make makes made take takes took taken
    give gives gave go goes going gone went come comes came see sees seen saw know knows knew want wants
    look looks looking find finds found show shows showed keep keeps put puts way ways time times year
    years day days week weeks month months today tonight yesterday tomorrow weekend morning night
    people person man men woman women thing first last big small good bad best worst top key major
    more most many much lot lots part full long short high low old young real still likely says amid
    inside over after before could would should might must will may can get gets got here there what
    why how who where when which yes no mr mrs ms dr via vs eg ie etc per cent percent plus minus
    million millions billion billions trillion thousand thousands hundred hundreds dozen dozens
    number numbers figure figures case cases story stories things world everything something
    nothing anything someone everyone nobody also just even ever really back front ahead around
    away behind latest live-updates minute minutes hour hours second seconds moment moments
    become becomes became getting being having making taking giving going coming seeing know
    """.split()
)

# The verbs and vague nouns of headline grammar: true of some story every day.
HEADLINE_WORDS = frozenset(
    """
    kill kills killed killing die dies died dying dead death deaths hit hits face faces facing win wins
    won winning lose loses losing lost end ends ended ending return returns returned life lives leave
    leaves left try tries tried hold holds held hope hopes fear fears feared seek seeks sought urge
    vow vows vowed move moves moved step steps help helps helped bid bids row rows
    open opens opened close closes closed meet meets met play plays played start starts started
    begin begins began turn turns turned run runs ran pay pays paid means mean need needs needed
    family families son daughter father mother wife husband star stars country countries official
    officials leader leaders worker workers head heads message
    """.split()
)

# Units and company suffixes of financial wire copy ("mln dlrs", "Co Ltd").
WIRE_WORDS = frozenset(
    """
    dlrs dlr mln bln pct cts ct shr shrs qtr qtrs avg vs inc corp co ltd plc llc ag nv sa spa
    """.split()
)

CALENDAR_WORDS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)

NUMBER_WORDS = frozenset(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    first second third fourth fifth sixth seventh eighth ninth tenth half quarter double triple
    once twice
    """.split()
)

# The units a change is counted in ("half a point", "two percentage points"): never a term on their
# own, but a name may hold one ("Kestrel Point", "West Point"), so they are not stop words.
UNIT_WORDS = frozenset({"point", "points", "percentage"})

STOP_WORDS = FUNCTION_WORDS | GENERIC_NEWS_WORDS | HEADLINE_WORDS | WIRE_WORDS | CALENDAR_WORDS | NUMBER_WORDS

# Verbs that follow a name in headlines ("Halcyon probe lands") and are not common nouns: a name
# phrase never ends on one (words ending in -ed or -ing are caught by their suffix).
VERBISH_WORDS = frozenset(
    """
    is are was were be been has have had do does did says said tells told adds
    lands arrives launches backs blocks bans hails slams sparks agrees rejects denies admits announces
    approves signs cuts raises rises falls drops jumps soars beats defeats sees gets takes makes goes
    comes wants plans expects threatens calls confirms insists refuses reaches joins quits resigns
    fires sacks names becomes remains stays keeps brings sends faces wins loses leads trails opens
    closes begins ends eyes seeks urges vows warns hits kills
    won lost led began rose fell sent brought kept took made went came saw gave left met paid
    """.split()
)

# Prepositions and conjunctions that the function-word list leaves to the -ing and unigram rules, but
# that must not extend a name ("Ashby Vale despite ...").
LINKING_WORDS = frozenset(
    """
    despite following including regarding concerning versus unlike beneath alongside opposite past
    except aboard atop underneath whilst lest
    """.split()
)

# Words allowed inside a name but never at its edge: "Bank of England", "Isle of Man".
NAME_CONNECTORS = frozenset({"of", "de", "del", "der", "van", "von", "da", "di", "la", "le", "al", "bin"})

# Titles are dropped from names, so "President Trump", "Mr Trump" and "Trump" are one term.
NAME_TITLES = frozenset(
    """
    mr mrs ms miss dr sir dame lord lady president vice prime minister chancellor secretary senator
    sen rep governor gov mayor judge justice general gen colonel col captain capt sergeant sgt
    professor prof chief chairman chairwoman ceo boss coach manager leader spokesman spokeswoman
    spokesperson
    """.split()
)

# Words ending in "s" that are not plurals, for which the suffix rules below would go wrong.
NOT_PLURAL = frozenset(
    """
    news series species means lens chaos ethos pathos kudos thermos bias alias atlas canvas gas
    christmas texas kansas arkansas hamas vegas dallas thomas douglas lucas caracas honduras
    bus plus minus bonus virus census campus status focus circus consensus genius thus
    always perhaps whereas towards afterwards sometimes besides overseas downstairs upstairs
    physics politics economics ethics mathematics olympics athletics genetics tactics
    measles diabetes herpes rabies mumps
    yes this his its has was does is as us
    """.split()
)

# Plurals the suffix rules would get wrong: "movies" is not "movy", "heroes" is not "heroe".
_IE_PLURALS = frozenset(
    """
    movies cookies zombies rookies selfies calories goalies hippies aunties prairies brownies
    smoothies hoodies veggies bookies newbies freebies techies foodies junkies yuppies
    """.split()
)
_OE_PLURALS = frozenset(
    "heroes potatoes tomatoes vetoes echoes torpedoes volcanoes tornadoes mosquitoes embargoes".split()
)

_APOSTROPHES = "'\u2019"
_POSSESSIVE = re.compile(r"['\u2019]s$|(?<=s)['\u2019]$", re.IGNORECASE)


def strip_possessive(word: str) -> str:
    """``Trump's`` -> ``Trump``, ``Texans'`` -> ``Texans``; other words unchanged."""
    return _POSSESSIVE.sub("", word)


def fold_plural(word: str) -> str:
    """One form for singular and plural of a lower-case word (``fires`` -> ``fire``).

    Conservative on purpose: a word is only folded by a suffix rule that is right for nearly all
    English words with that ending; endings where a rule is as often wrong as right (``-us``,
    ``-is``, ``-ss``, ``-ics``) are left alone, and so are the listed non-plurals. Proper nouns are
    not passed through here by the extractor (``Wales``, ``Reeves``); the strip merges a name and
    its plural only when both forms are seen.
    """
    if len(word) <= 3 or not word.endswith("s") or word in NOT_PLURAL or not word.isalpha():
        return word
    if word.endswith(("ss", "us", "is", "ics", "ous")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-1] if word in _IE_PLURALS else word[:-3] + "y"
    if word.endswith("oes") and word in _OE_PLURALS:
        return word[:-2]
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    return word[:-1]


def plural_variants(key: str) -> tuple[str, ...]:
    """The plural spellings a singular key could take, used to merge names seen in both forms."""
    last = key.rsplit(" ", 1)[-1]
    head = key[: len(key) - len(last)]
    forms = [last + "s", last + "es"]
    if last.endswith("y"):
        forms.append(last[:-1] + "ies")
    return tuple(head + form for form in forms)


def is_stop(word_lower: str) -> bool:
    return word_lower in STOP_WORDS or word_lower.strip(_APOSTROPHES) in STOP_WORDS
