"""The site's generation: one number that grows in the same transaction as any change readers can see.

Rendered pages, feeds and API answers are cached per web process (web/cache.py) with the generation
they were rendered at; a request compares it with the stored one (a primary-key read), so a publish,
an update, a hold or a release committed by any process — a worker, the admin, the CLI, on any
machine sharing the database — empties every cache at once, and nothing stale is ever served.

The number is bumped by a flush hook rather than by each writer: no code path that changes what
readers see (steps, the admin, the API, the CLI, migrations of data) can forget it. Writes readers
never see (fetch bookkeeping, poll schedules, claims, failures of unpublished items) leave it alone,
so ingestion does not empty the caches for nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from babelwire.store.models import (
    DocumentRow,
    ItemRow,
    ItemStatus,
    ReviewStatus,
    SiteStateRow,
    SourceRow,
    TranslationRow,
    utcnow,
)

SITE_STATE_ID = 1
# Columns of a source the site shows (name, links, language, excerpt rule, followed or not); the
# rest is polling bookkeeping, written on every poll.
PUBLIC_SOURCE_COLUMNS = ("name", "url", "kind", "language", "site_url", "enabled", "excerpt_only")
# Columns of an item that never reach a reader: claims, retries, failure records, timestamps.
ITEM_BOOKKEEPING = frozenset({"queued_at", "updated_at", "attempts", "error_stage", "error_class",
                              "error_message", "page_key"})  # fmt: skip
_FLAG = "babelwire_site_changed"  # session.info keys: this flush changes the site; bumped already
_BUMPED = "babelwire_site_bumped"


def current_generation(session: Session) -> int:
    """The generation now committed (0 for a store older than this table's migration)."""
    return session.scalar(select(SiteStateRow.generation).where(SiteStateRow.id == SITE_STATE_ID)) or 0


def _history(obj: Any, name: str) -> tuple[set[Any], bool]:
    """The values an attribute had and has in this flush, and whether it changed."""
    history = inspect(obj).attrs[name].history
    values = {*history.added, *history.deleted, *history.unchanged}
    return values, history.has_changes()


def _changed_columns(obj: Any) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.mapper.column_attrs if state.attrs[attr.key].history.has_changes()}


def _item_shows(item: ItemRow, *, new: bool, deleted: bool) -> bool:
    statuses, _ = _history(item, "status")
    if ItemStatus.PUBLISHED not in statuses:
        return False  # an unpublished item is on no page, before and after
    return new or deleted or bool(_changed_columns(item) - ITEM_BOOKKEEPING)


def _translation_shows(row: TranslationRow, *, new: bool, deleted: bool) -> bool:
    statuses, status_changed = _history(row, "review_status")
    visible = any(status in ReviewStatus.VISIBLE for status in statuses)
    if new or deleted:
        return visible
    # A verdict moves it onto or off the site (and into or out of the API's held list);
    # a new text for a visible one changes its pages.
    return status_changed or (visible and bool(_changed_columns(row)))


def _source_shows(source: SourceRow, *, new: bool, deleted: bool) -> bool:
    return new or deleted or any(_history(source, name)[1] for name in PUBLIC_SOURCE_COLUMNS)


def touches_site(session: Session) -> bool:
    """Whether this flush changes anything a reader can see."""
    for objects, new, deleted in ((session.new, True, False), (session.dirty, False, False),
                                  (session.deleted, False, True)):  # fmt: skip
        for obj in objects:
            if isinstance(obj, ItemRow) and _item_shows(obj, new=new, deleted=deleted):
                return True
            if isinstance(obj, TranslationRow) and _translation_shows(obj, new=new, deleted=deleted):
                return True
            if isinstance(obj, SourceRow) and _source_shows(obj, new=new, deleted=deleted):
                return True
            if isinstance(obj, DocumentRow) and not new and (deleted or _changed_columns(obj)):
                return True
    return False


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    if not session.info.get(_FLAG) and touches_site(session):
        session.info[_FLAG] = True


def _after_flush(session: Session, _context: object) -> None:
    """Bump once per transaction, inside it: the new generation commits (or rolls back) with the change."""
    if session.info.pop(_FLAG, False) and not session.info.get(_BUMPED):
        session.info[_BUMPED] = True
        session.connection().execute(
            update(SiteStateRow)
            .where(SiteStateRow.id == SITE_STATE_ID)
            .values(generation=SiteStateRow.generation + 1, changed_at=utcnow())
        )


def _end_transaction(session: Session) -> None:
    session.info.pop(_FLAG, None)
    session.info.pop(_BUMPED, None)


def track_site_changes(sessions: sessionmaker[Session]) -> None:
    """Install the hooks on every session of the store."""
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "after_commit", _end_transaction)
    event.listen(sessions, "after_rollback", _end_transaction)
