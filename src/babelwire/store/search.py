"""Full-text search over published articles: SQLite FTS5 or PostgreSQL full-text.

The index objects come from migration 0005 and follow every write by themselves (SQLite
triggers, a PostgreSQL expression index); see its docstring. Here a reader's query becomes
plain words, whatever it contains: FTS5 has its own syntax (quotes, `*`, `NEAR`, `col:`,
`AND`/`OR`/`NOT`) and a query that trips it would be an error page, so every word is quoted
as a literal and the words are ANDed. Matches are then filtered and ordered by the same read
model as the home page, so search never shows what the home page would not.
"""

from __future__ import annotations

import re

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    bindparam,
    column,
    false,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import Session

from babelwire.store.articles import PublishedArticle, count_listed, listed_articles
from babelwire.store.keyset import Slice, Window
from babelwire.store.models import ListingRow, TranslationRow

MAX_TERMS = 12
NOTHING = Slice(rows=[], first=None, last=None, more=False)
MAX_TERM_LENGTH = 64
_WORD = re.compile(r"\w+", re.UNICODE)

# Names the migration created; tests/store/test_db.py leaves them out of the models comparison.
SEARCH_TABLES = frozenset({"translations_fts", "translations_fts_map"})
SEARCH_INDEXES = frozenset({"ix_translations_fts"})

_fts = table("translations_fts", column("rowid", Integer))
_fts_map = table("translations_fts_map", column("id", Integer), column("key", String))


def is_search_object(name: str | None, type_: str) -> bool:
    """True for the full-text objects that live only in the migration (FTS5 shadow tables included)."""
    if name is None:
        return False
    if type_ == "table":
        return any(name == t or name.startswith(f"{t}_") for t in SEARCH_TABLES)
    return type_ == "index" and name in SEARCH_INDEXES


def search_terms(query: str) -> list[str]:
    """The words of a query, lower-cased, without any operator or punctuation."""
    words = [word.lower()[:MAX_TERM_LENGTH] for word in _WORD.findall(query.replace("_", " "))]
    return list(dict.fromkeys(words))[:MAX_TERMS]


def _matches(session: Session, language: str, terms: list[str]) -> ColumnElement[bool]:
    if session.get_bind().dialect.name == "postgresql":
        document = func.babelwire_fts_document(
            TranslationRow.target_lang, TranslationRow.title, TranslationRow.blocks_json
        )
        query = func.plainto_tsquery(func.babelwire_fts_config(language), " ".join(terms))
        found = select(TranslationRow.key).where(
            TranslationRow.target_lang == language, document.op("@@")(query)
        )
        return ListingRow.translation_key.in_(found)
    # Each word a double-quoted FTS5 string: a literal, never an operator; juxtaposed: AND.
    match = " ".join(f'"{term}"' for term in terms)
    hits = (
        select(_fts_map.c.key)
        .join(_fts, _fts.c.rowid == _fts_map.c.id)
        .where(literal_column("translations_fts").op("MATCH")(bindparam("fts_query", match)))
    )
    return ListingRow.translation_key.in_(hits)


def matching(session: Session, language: str, query: str) -> ColumnElement[bool]:
    """A filter for published_query: every word of `query` is in the translation (none: nothing)."""
    terms = search_terms(query)
    return _matches(session, language, terms) if terms else false()


def search_articles(
    session: Session, language: str, query: str, window: Window
) -> tuple[list[PublishedArticle], Slice, int]:
    """Published articles in `language` whose translated title or body has every word of `query`.

    Newest first (a news wire's order; relevance ranking would mean scoring every match), the
    window's cursors, and the total number of matches. A query with no words finds nothing.
    """
    terms = search_terms(query)
    if not terms:
        return [], NOTHING, 0
    matches = _matches(session, language, terms)
    total = count_listed(session, language, matches)
    if total == 0 or window.offset >= total:
        return [], NOTHING, total
    articles, found = listed_articles(session, language, window, matches)
    return articles, found, total
