"""Full-text search over articles on both engines: SQLite FTS5 and PostgreSQL text search.

The query language is deliberately small: words, ``"quoted phrases"`` and ``-exclusions`` (of a word or
a phrase). Every other character a search engine would treat as syntax (``NEAR``, ``*``, ``:``, ``OR``,
parentheses, ``^``...) is literal text: user input reaches the database only as bound parameters, and
on SQLite only inside FTS5 string literals made of word characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection as default_connection

MAX_QUERY_CHARS = 400
MAX_TERMS = 12
MAX_WORDS_PER_PHRASE = 12
MAX_RESULTS = 1000

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ParsedQuery:
    """Phrases are tuples of words; a single word is a one-word phrase."""

    include: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[tuple[str, ...], ...] = ()

    @property
    def words(self) -> list[str]:
        """The included words, for highlighting."""
        return [word for phrase in self.include for word in phrase]

    def __bool__(self) -> bool:
        return bool(self.include)


class QueryTooLong(ValueError):
    pass


def parse_query(text: str) -> ParsedQuery:
    """Split a reader's query into phrases to include and to exclude; never raises on odd input."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong(f"queries are limited to {MAX_QUERY_CHARS} characters")
    include: list[tuple[str, ...]] = []
    exclude: list[tuple[str, ...]] = []
    for match in _TOKEN.finditer(text):
        if match.group(2) is not None:
            negative, raw = match.group(1), match.group(2)
        else:
            negative, raw = match.group(3), match.group(4)
        words = tuple(w.lower() for w in _WORD.findall(raw))[:MAX_WORDS_PER_PHRASE]
        if not words:
            continue
        target = exclude if negative else include
        if words not in target and len(target) < MAX_TERMS:
            target.append(words)
    return ParsedQuery(tuple(include), tuple(exclude))


@dataclass(frozen=True)
class Filters:
    section_id: int | None = None
    source_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class SearchPage:
    ids: list[int]
    total: int
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- index management

_SQLITE_INSTALL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_article_fts USING fts5(
        title, body_text, content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS search_article_ai AFTER INSERT ON articles_article BEGIN
        INSERT INTO search_article_fts(rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_article_ad AFTER DELETE ON articles_article BEGIN
        INSERT INTO search_article_fts(search_article_fts, rowid, title, body_text)
        VALUES ('delete', old.id, old.title, old.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_article_au AFTER UPDATE OF title, body_text ON articles_article
    BEGIN
        INSERT INTO search_article_fts(search_article_fts, rowid, title, body_text)
        VALUES ('delete', old.id, old.title, old.body_text);
        INSERT INTO search_article_fts(rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
    END""",
]
_SQLITE_TRIGGERS = ("search_article_ai", "search_article_ad", "search_article_au")
_SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS search_article_au",
    "DROP TRIGGER IF EXISTS search_article_ad",
    "DROP TRIGGER IF EXISTS search_article_ai",
    "DROP TABLE IF EXISTS search_article_fts",
]


# The document expression: the GIN index and every query use exactly this text (so the planner can
# match them). Bodies are cut at 100,000 characters to stay under PostgreSQL's tsvector size limit.
def pg_document(alias: str = "") -> str:
    column = f"{alias}." if alias else ""
    return (
        f"(setweight(to_tsvector('english'::regconfig, coalesce({column}title, '')), 'A') || "
        f"setweight(to_tsvector('english'::regconfig, left(coalesce({column}body_text, ''), 100000)), 'B'))"
    )


_PG_INSTALL = [
    f"CREATE INDEX IF NOT EXISTS search_article_tsv_idx ON articles_article USING GIN ({pg_document()})"
]
_PG_UNINSTALL = ["DROP INDEX IF EXISTS search_article_tsv_idx"]


def index_install(connection: Any, *, rebuild: bool) -> None:
    """Create the index (idempotent). On SQLite, missing triggers mean the index may be stale: rebuild."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
                list(_SQLITE_TRIGGERS),
            )
            complete = cursor.fetchone()[0] == len(_SQLITE_TRIGGERS)
            for sql in _SQLITE_INSTALL:
                cursor.execute(sql)
            if rebuild or not complete:
                cursor.execute("INSERT INTO search_article_fts(search_article_fts) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            for sql in _PG_INSTALL:
                cursor.execute(sql)


def index_uninstall(connection: Any) -> None:
    statements = {"sqlite": _SQLITE_UNINSTALL, "postgresql": _PG_UNINSTALL}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# ---------------------------------------------------------------- queries


def _fts5_phrase(words: tuple[str, ...]) -> str:
    # Words are \w+ runs, so they hold no quote; doubling quotes anyway keeps the literal closed.
    return '"' + " ".join(words).replace('"', '""') + '"'


def fts5_match(query: ParsedQuery) -> str:
    """The FTS5 MATCH expression: every include phrase ANDed, every exclusion NOTed, all as literals."""
    expression = "(" + " AND ".join(_fts5_phrase(p) for p in query.include) + ")"
    for phrase in query.exclude:
        expression += " NOT " + _fts5_phrase(phrase)
    return expression


def _filter_sql(filters: Filters, alias: str = "a") -> tuple[str, list[Any]]:
    clauses = [f"{alias}.hidden = %s"]
    params: list[Any] = [False]
    if filters.section_id is not None:
        clauses.append(f"{alias}.section_id = %s")
        params.append(filters.section_id)
    if filters.source_id is not None:
        clauses.append(
            f"EXISTS (SELECT 1 FROM articles_entry e WHERE e.article_id = {alias}.id AND e.source_id = %s)"  # noqa: S608 - alias is ours
        )
        params.append(filters.source_id)
    if filters.since is not None:
        clauses.append(f"{alias}.sort_at >= %s")
        params.append(filters.since)
    if filters.until is not None:
        clauses.append(f"{alias}.sort_at < %s")
        params.append(filters.until)
    return " AND ".join(clauses), params


def search_ids(
    query: ParsedQuery, *, filters: Filters, offset: int, limit: int, connection: Any = None
) -> SearchPage:
    """One page of matching article ids, best first, and the number of matches (capped)."""
    connection = connection or default_connection
    if not query:
        return SearchPage([], 0)
    where, params = _filter_sql(filters)
    if connection.vendor == "postgresql":
        match_sql, match_params = _pg_tsquery(query)
        document = pg_document("a")
        base = f"FROM articles_article a, ({match_sql}) q WHERE {document} @@ q.query AND {where}"
        order = f"ts_rank_cd({document}, q.query, 32) DESC, a.sort_at DESC, a.id DESC"
        all_params = [*match_params, *params]
    else:
        base = (
            "FROM search_article_fts f JOIN articles_article a ON a.id = f.rowid "
            f"WHERE search_article_fts MATCH %s AND {where}"
        )
        order = "bm25(search_article_fts, 8.0, 1.0), a.sort_at DESC, a.id DESC"
        all_params = [fts5_match(query), *params]
    # Only our own fixed SQL fragments are formatted in; every user value is a bound parameter.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT a.id {base} LIMIT {MAX_RESULTS}) t", all_params)  # noqa: S608
        total = cursor.fetchone()[0]
        if total == 0 or offset >= total:
            return SearchPage([], total)
        cursor.execute(
            f"SELECT a.id {base} ORDER BY {order} LIMIT %s OFFSET %s", [*all_params, limit, offset]
        )
        ids = [row[0] for row in cursor.fetchall()]
    return SearchPage(ids, total)


def _pg_tsquery(query: ParsedQuery) -> tuple[str, list[str]]:
    """``SELECT <tsquery> AS query``: phraseto_tsquery of each phrase (it reads no operators)."""
    parts = ["phraseto_tsquery('english'::regconfig, %s)"] * len(query.include)
    parts += ["(!! phraseto_tsquery('english'::regconfig, %s))"] * len(query.exclude)
    params = [" ".join(p) for p in query.include] + [" ".join(p) for p in query.exclude]
    return "SELECT " + " && ".join(parts) + " AS query", params
