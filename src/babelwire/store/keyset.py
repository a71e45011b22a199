"""Keyset pagination over the listings: a page is "the N articles older (or newer) than this one".

An OFFSET page makes the database walk past every article before it: page 5,000 of the home page
reads 100,000 index entries to show 20, and a page shifts under its reader whenever an article is
published. A cursor names the last article shown, by the readers' order (`newest_first`: the
listing's sort_at, then the item id), so the next page is one index seek however deep it is and
shows the same articles until older ones arrive. SQLAlchemy has no keyset helper (sqlakeyset is
unmaintained and pages ORM queries only), and the rule is three comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.orm import Session

from babelwire.store.models import MAX_ROW_ID, ListingRow

CURSOR_PATTERN = r"^[0-9]{1,19}-[0-9]{1,19}$"
CURSOR_HELP = "an opaque cursor from a page's next/prev link (digits, a dash, digits)"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_MAX_MICROS = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // _MICROSECOND


def newest_first() -> tuple[ColumnElement[Any], ...]:
    """Every reader list's order: the original's date when known, else when found (the listing's
    sort_at), then the item id, so no two articles tie and a cursor is one place in it."""
    return ListingRow.sort_at.desc(), ListingRow.item_id.desc()


@dataclass(frozen=True)
class Cursor:
    """A position in a newest-first list: the listing's sort_at and item id, written as
    `<microseconds since 1970>-<item id>` (exact, and nothing in it needs escaping in a URL)."""

    sort_at: datetime
    item_id: int

    def __str__(self) -> str:
        stamp = self.sort_at if self.sort_at.tzinfo else self.sort_at.replace(tzinfo=UTC)
        return f"{(stamp - _EPOCH) // _MICROSECOND}-{self.item_id}"


def parse_cursor(text: str) -> Cursor:
    """The cursor `text` writes; ValueError when it is not one. Any digits are a position: a date or
    an id past the largest there can be is clamped to it (past every article), never an error."""
    micros, dash, item_id = text.partition("-")
    if not (dash and micros.isascii() and micros.isdigit() and item_id.isascii() and item_id.isdigit()):
        raise ValueError(f"not a page cursor: {text[:40]!r} ({CURSOR_HELP})")
    return Cursor(_EPOCH + min(int(micros), _MAX_MICROS) * _MICROSECOND, min(int(item_id), MAX_ROW_ID))


def older_than(cursor: Cursor) -> ColumnElement[bool]:
    """Listings after `cursor` in newest-first order. The first term is a plain range on sort_at, so
    both backends seek the (language, sort_at, item_id) index to it (a row-value comparison or a bare
    OR is not always planned as one)."""
    return and_(
        ListingRow.sort_at <= cursor.sort_at,
        or_(ListingRow.sort_at < cursor.sort_at, ListingRow.item_id < cursor.item_id),
    )


def newer_than(cursor: Cursor) -> ColumnElement[bool]:
    """Listings before `cursor` in newest-first order."""
    return and_(
        ListingRow.sort_at >= cursor.sort_at,
        or_(ListingRow.sort_at > cursor.sort_at, ListingRow.item_id > cursor.item_id),
    )


@dataclass(frozen=True)
class Window:
    """Which part of a newest-first list to read: `limit` rows older than `before` and newer than
    `after` (either, both or neither), the `offset` first of them skipped. With `after` the rows
    are the ones just above it (the page before), else the newest that qualify."""

    limit: int
    offset: int = 0
    before: Cursor | None = None
    after: Cursor | None = None

    @classmethod
    def parse(cls, limit: int, offset: int, before: str | None, after: str | None) -> Window:
        """The window a request's parameters ask for; ValueError for text that is not a cursor."""
        return cls(limit, offset, *(None if c is None else parse_cursor(c) for c in (before, after)))


@dataclass(frozen=True)
class Slice:
    """The rows a window holds, newest first, with the cursors of the first and the last and whether
    the list goes on past the window in the direction it was read (older; newer for `after`)."""

    rows: list[tuple[Any, ...]]
    first: Cursor | None
    last: Cursor | None
    more: bool


def read_window(session: Session, query: Select[*tuple[Any, ...]], window: Window) -> Slice:
    """`query` (rows over ListingRow) cut to `window`: one index range, one row past it for `more`."""
    rising = window.after is not None
    query = query.add_columns(ListingRow.sort_at, ListingRow.item_id)
    if window.before is not None:
        query = query.where(older_than(window.before))
    if window.after is not None:
        query = query.where(newer_than(window.after))
    order = (ListingRow.sort_at.asc(), ListingRow.item_id.asc()) if rising else newest_first()
    found = list(session.execute(query.order_by(*order).limit(window.limit + 1).offset(window.offset)))
    more = len(found) > window.limit
    found = found[: window.limit]
    if rising:
        found.reverse()
    cursors = [Cursor(row[-2], row[-1]) for row in found]
    return Slice(
        rows=[tuple(row[:-2]) for row in found],
        first=cursors[0] if cursors else None,
        last=cursors[-1] if cursors else None,
        more=more,
    )
