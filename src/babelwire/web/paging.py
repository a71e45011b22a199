"""Page links of the reader lists (home, source pages, search): keyset cursors, page numbers kept.

A list's links are `?before=<cursor>` (older, rel=next) and `?after=<cursor>` (newer, rel=prev):
each is one index seek however deep (store/keyset.py), and a cached page keeps showing the same
articles. `?page=N` still answers, by OFFSET, for old links and for a reader who types a number;
the links from its page are cursors too. "Page N of M" is counted from the articles newer than
the first one shown, so it stays right on a cursor page and after new articles arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import HTTPException, Query
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from babelwire.store.articles import count_listed
from babelwire.store.keyset import (
    CURSOR_HELP,
    CURSOR_PATTERN,
    Slice,
    Window,
    newer_than,
)

NO_PAGE = "There is no such page."
PageNumber = Annotated[int, Query(ge=1, le=10_000, description="A page number (the links use cursors).")]
PageCursor = Annotated[str | None, Query(max_length=40, pattern=CURSOR_PATTERN, description=CURSOR_HELP)]


def page_window(size: int, page: int = 1, before: str | None = None, after: str | None = None) -> Window:
    """The window a page's query parameters ask for (their pattern was checked: any cursor reads)."""
    return Window.parse(size, (page - 1) * size, before, after)


@dataclass(frozen=True)
class Pager:
    """What _pagination.html shows: where this page is, and the links to its neighbours (None: no
    such neighbour). `suffix` is this page's own query string, for its canonical link."""

    page: int
    pages: int
    newer: str | None
    older: str | None
    suffix: str


def _pages(count: int, size: int) -> int:
    return -(-count // size)


def _href(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def pager(
    path: str, params: dict[str, str], window: Window, found: Slice, *, total: int, newer: int
) -> Pager:
    """The pager of a list at `path` (its own `params`, e.g. the search words) showing `found` of
    `window`; `newer`: how many listed articles come before the first shown. An empty page other
    than the first is a 404, so crawlers do not index empty lists."""
    shown = len(found.rows)
    first_page = window.offset == 0 and window.before is None and window.after is None
    if not shown and not first_page:
        raise HTTPException(status_code=404, detail=NO_PAGE)
    page = _pages(newer, window.limit) + 1
    older_left = max(0, total - newer - shown)
    newer_href = None
    if newer and found.first is not None:
        at = {} if newer <= window.limit else {"after": str(found.first)}
        newer_href = _href(path, params | at)
    older_href = None
    if older_left and found.last is not None:
        older_href = _href(path, params | {"before": str(found.last)})
    own = {"page": str(window.offset // window.limit + 1)} if window.offset else {}
    own |= {name: str(at) for name, at in (("before", window.before), ("after", window.after)) if at}
    suffix = "?" + urlencode(params | own) if params | own else ""
    return Pager(page, page + _pages(older_left, window.limit), newer_href, older_href, suffix)


def count_newer(
    session: Session, language: str, window: Window, found: Slice, *conditions: ColumnElement[bool]
) -> int:
    """How many of the list's articles come before the first one `found` shows (an index count)."""
    if window.before is None and window.after is None:
        return window.offset
    if found.first is None:
        return 0
    return count_listed(session, language, newer_than(found.first), *conditions)
