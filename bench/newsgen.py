"""Synthetic but varied news for the page bench: events reported by several sources in their own words.

Each event has its own place, people, topic and figures; each source's report picks its own sentences
from the topic's templates and adds background of its own, so reports of one event are alike without
being copies, and different events share only the topic's words (as real coverage does). Seeded: the
same ``count`` always gives the same articles. All text is generated here; none comes from a corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SYLLABLES = (
    "bar",
    "cel",
    "dun",
    "fen",
    "gar",
    "hol",
    "kir",
    "lom",
    "mar",
    "nor",
    "pel",
    "quin",
    "ros",
    "sal",
    "tor",
    "val",
    "wen",
    "yar",
    "zel",
    "ash",
    "bri",
    "cor",
    "dal",
    "eth",
)
GIVEN = (
    "Ada",
    "Bram",
    "Cora",
    "Dev",
    "Elin",
    "Femi",
    "Gus",
    "Hana",
    "Ivo",
    "Juno",
    "Kai",
    "Lena",
    "Milo",
    "Nia",
    "Oren",
    "Pia",
    "Rafe",
    "Suki",
    "Theo",
    "Uma",
    "Vera",
    "Wim",
    "Yara",
    "Zane",
)
ROLES = ("mayor", "minister", "chief executive", "coach", "spokesperson", "union leader", "researcher")

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "world": {
        "lead": (
            "{place} voters head to the polls as {person} seeks a second term",
            "Talks in {place} stall over {thing} as {person} warns of delays",
            "{person} visits {place} after floods damage {count} homes",
        ),
        "fact": (
            "Officials in {place} said {count} people had been moved to shelters by {day}.",
            "{person}, the {role}, told reporters the {thing} would be reviewed within {count} days.",
            "Observers counted {count} polling stations in {place} that opened late on {day}.",
            "Neighbouring regions offered {count} tonnes of supplies for {place}, {person} said.",
            "The {thing} was first proposed in {place} {count} years ago, according to {person}.",
        ),
        "filler": (
            "The government has faced criticism over its handling of the crisis.",
            "Diplomats from several countries are expected to attend the talks.",
            "Aid groups said the situation remained difficult for many families.",
            "The opposition called for an independent inquiry into the decision.",
        ),
        "things": ("border agreement", "ceasefire plan", "relief fund", "election law", "water treaty"),
    },
    "business": {
        "lead": (
            "{place} lender posts record profit as {thing} demand climbs",
            "{person} to step down as {place} retailer cuts {count} jobs",
            "Shares in {place} carmaker jump on {thing} deal",
        ),
        "fact": (
            "Revenue rose to {count} million in the quarter to {day}, {person} said.",
            "The {thing} deal values the {place} company at {count} million.",
            "{person}, the {role}, said {count} stores would close by the end of the year.",
            "Analysts had expected growth of {count} per cent from the {place} group.",
            "Investors in {place} pushed the shares up {count} per cent by {day}.",
        ),
        "filler": (
            "Markets across the region were mixed in afternoon trading.",
            "The company said it would keep investing in its online business.",
            "Interest rates have weighed on consumer spending this year.",
            "Rivals have also announced cost cuts in recent months.",
        ),
        "things": ("battery", "chip supply", "mortgage", "shipping", "solar panel"),
    },
    "sport": {
        "lead": (
            "{place} Rovers beat rivals {count}-1 as {person} scores twice",
            "{person} named {place} captain ahead of the {thing}",
            "{place} clinch the {thing} title in a tense final",
        ),
        "fact": (
            "{person} scored in the {count}th minute in front of a crowd at {place}.",
            "The {place} side have now won {count} matches in a row, {person} said.",
            "{person}, the {role}, praised the defence after the {thing} win on {day}.",
            "Tickets for the {thing} in {place} sold out within {count} hours.",
            "The {place} club last lifted the {thing} trophy {count} years ago.",
        ),
        "filler": (
            "The visitors struggled to keep possession after the break.",
            "Supporters celebrated long after the final whistle.",
            "The league table remains tight with a month of the season left.",
            "Injuries have forced several changes to the starting line-up.",
        ),
        "things": ("cup", "league", "derby", "championship", "relay"),
    },
    "technology": {
        "lead": (
            "{place} startup unveils {thing} that {person} says halves costs",
            "Outage hits {count} thousand users of {place} {thing} service",
            "{person} warns {place} lawmakers over {thing} rules",
        ),
        "fact": (
            "The {thing} will ship to {count} thousand customers from {day}, {person} said.",
            "Engineers in {place} traced the fault to a {thing} update, according to {person}.",
            "{person}, the {role}, said {count} developers had joined the {thing} trial.",
            "The {place} firm raised {count} million from investors for its {thing}.",
            "Regulators in {place} gave the {thing} makers {count} weeks to respond.",
        ),
        "filler": (
            "Privacy groups have raised concerns about how the data is stored.",
            "The industry has been racing to bring similar products to market.",
            "Users reported problems signing in for several hours.",
            "The software will be free for schools and charities.",
        ),
        "things": ("translation app", "robot", "cloud", "satellite link", "chip"),
    },
}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Report:
    event: int
    nth: int  # the report's place among its event's reports: 0 for the first
    section: str
    title: str
    paragraphs: list[str]


def _name(rng: random.Random) -> str:
    return "".join(rng.sample(SYLLABLES, 2)).capitalize()


def reports(count: int, *, sources: int, seed: int = 7) -> list[Report]:
    """``count`` reports: events of 1 to ``sources`` reports each, in arrival order."""
    rng = random.Random(seed)
    out: list[Report] = []
    event = 0
    while len(out) < count:
        section = rng.choice(sorted(TOPICS))
        topic = TOPICS[section]
        facts = {
            "place": _name(rng),
            "person": f"{rng.choice(GIVEN)} {_name(rng)}",
            "role": rng.choice(ROLES),
            "thing": rng.choice(topic["things"]),
            "count": str(rng.randint(2, 90)),
            "day": rng.choice(DAYS),
        }
        for nth in range(min(rng.randint(1, sources), count - len(out))):
            title = rng.choice(topic["lead"]).format(**facts)
            sentences = rng.sample(topic["fact"], 3) + rng.sample(topic["filler"], 2)
            rng.shuffle(sentences)
            paragraphs = [" ".join(s.format(**facts) for s in sentences[i : i + 2]) for i in range(0, 5, 2)]
            out.append(Report(event, nth, section, title, paragraphs))
        event += 1
    return out
