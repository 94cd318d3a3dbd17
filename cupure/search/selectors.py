"""Search reads: a reader's query string in, one page of highlighted results out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString

from cupure.articles.models import Article, Section
from cupure.articles.selectors import visible_articles
from cupure.search.engine import MAX_RESULTS, Filters, ParsedQuery, QueryTooLong, parse_query, search_ids
from cupure.search.highlight import highlight, snippet
from cupure.sources.models import Source
from cupure.stories.selectors import fold_copies

PER_PAGE = 20
WHEN = {"day": timedelta(days=1), "week": timedelta(days=7), "month": timedelta(days=31)}


class BadSearch(ValueError):
    """The request cannot be read (a malformed date, a query over the length limit): a 400."""


@dataclass
class Hit:
    article: Article
    title: SafeString
    snippet: SafeString


@dataclass
class SearchResults:
    q: str = ""
    parsed: ParsedQuery = field(default_factory=ParsedQuery)
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    section: Section | None = None
    source: Source | None = None
    params: dict[str, str] = field(default_factory=dict)
    capped: bool = False

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadSearch(f"{name} must be a date like 2026-01-31") from None
    if not 1900 <= day.year <= 9000:  # the day after 9999-12-31 does not exist; nothing is dated then
        raise BadSearch(f"{name} must be a date between 1900 and 9000")
    return day


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _page_number(value: str) -> int:
    try:
        return max(1, min(int(value), MAX_RESULTS))
    except ValueError:
        return 1


def read_request(params: QueryDict) -> dict[str, str]:
    """The search parameters, trimmed; unknown parameters are ignored."""
    names = ("q", "section", "source", "when", "from", "to", "page")
    return {name: params.get(name, "").replace("\x00", "").strip() for name in names}


def search(params: dict[str, str], *, now: datetime | None = None) -> SearchResults:
    """Run a search; raises BadSearch for input that cannot be read."""
    now = now or timezone.now()
    try:
        parsed = parse_query(params["q"])
    except QueryTooLong as exc:
        raise BadSearch(str(exc)) from None
    since_day, until_day = _date(params["from"], "from"), _date(params["to"], "to")
    since = _aware(since_day) if since_day else None
    until = _aware(until_day + timedelta(days=1)) if until_day else None
    if params["when"] in WHEN:
        since = max(since, now - WHEN[params["when"]]) if since else now - WHEN[params["when"]]
    results = SearchResults(q=params["q"], parsed=parsed, page=_page_number(params["page"]))
    results.params = {k: v for k, v in params.items() if v and k != "page"}
    if params["section"]:
        results.section = Section.objects.filter(slug=params["section"][:64]).first()
    if params["source"]:
        results.source = Source.objects.filter(slug=params["source"][:120]).first()
    if not parsed or (params["section"] and not results.section) or (params["source"] and not results.source):
        return results
    filters = Filters(
        section_id=results.section.id if results.section else None,
        source_id=results.source.id if results.source else None,
        since=since,
        until=until,
    )
    found = search_ids(parsed, filters=filters, offset=(results.page - 1) * PER_PAGE, limit=PER_PAGE)
    results.total = found.total
    results.capped = found.total >= MAX_RESULTS
    results.pages = (found.total + PER_PAGE - 1) // PER_PAGE
    articles = visible_articles().defer("raw", "body_html", "summary").in_bulk(found.ids)
    # A syndicated text is one result: its original, at its own rank, naming every source.
    ranked = fold_copies(article for article in (articles.get(i) for i in found.ids) if article is not None)
    if results.pages == 1:  # the whole result is on this page: count what the reader sees
        results.total = len(ranked)
    words = parsed.words
    results.hits = [Hit(a, highlight(a.title, words), snippet(a.body_text, words)) for a in ranked]
    return results


def search_options() -> dict[str, Any]:
    """The filter choices for the search form."""
    return {"sources": list(Source.objects.order_by("name").only("slug", "name"))}
