"""The site's generation: one number that grows in the same transaction as any change readers can see.

Rendered pages, feeds and API answers are cached per web process (web/cache.py) with the generation
they were rendered at; a request compares it with the stored one (a primary-key read), so a publish,
an update, a hold or a release committed by any process — a worker, the admin, the CLI, on any
machine sharing the database — empties every cache at once, and nothing stale is ever served.

The number is bumped by a flush hook rather than by each writer: no code path that changes what
readers see (steps, the admin, the API, the CLI, migrations of data) can forget it. Writes readers
never see (fetch bookkeeping, poll schedules, claims, failures of unpublished items) leave it alone,
so ingestion does not empty the caches for nothing. The same hook keeps the listings table
(store/listings.py), the read model of every list readers see, in step with the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from babelwire.store.listings import refresh_listings
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
# Statuses whose items readers see: published articles, and copies listed under the one they copy.
SHOWN_STATUSES = frozenset({ItemStatus.PUBLISHED, ItemStatus.DUPLICATE})
_FLAG = "babelwire_site_changes"  # session.info keys: what this flush changes (SiteChanges); bumped already
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
    """A published item is on pages; so is a copy (status duplicate), as "also published by" under
    the article it copies: its story, what it copies, its source or URL changing changes that page."""
    statuses, _ = _history(item, "status")
    if not statuses & SHOWN_STATUSES:
        return False  # an item neither published nor a copy is on no page, before and after
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


@dataclass
class SiteChanges:
    """What a flush changes that readers can see: whether anything, and whose listings to refresh."""

    any: bool = False
    items: list[ItemRow] = field(default_factory=list)  # ids come with the flush for new ones
    document_keys: set[str] = field(default_factory=set)

    def add(self, other: SiteChanges) -> None:
        self.any = self.any or other.any
        self.items.extend(other.items)
        self.document_keys |= other.document_keys


def site_changes(session: Session) -> SiteChanges:
    """What this flush changes that a reader can see (pending in the session, before the flush)."""
    changes = SiteChanges()
    for objects, new, deleted in ((session.new, True, False), (session.dirty, False, False),
                                  (session.deleted, False, True)):  # fmt: skip
        for obj in objects:
            if isinstance(obj, ItemRow) and _item_shows(obj, new=new, deleted=deleted):
                changes.any = True
                changes.items.append(obj)
                changes.document_keys |= {key for key in _history(obj, "document_key")[0] if key}
            elif isinstance(obj, TranslationRow) and _translation_shows(obj, new=new, deleted=deleted):
                changes.any = True
                changes.document_keys.add(obj.document_key)
            elif isinstance(obj, SourceRow) and _source_shows(obj, new=new, deleted=deleted):
                changes.any = True
            elif isinstance(obj, DocumentRow) and not new and (deleted or _changed_columns(obj)):
                changes.any = True
                changes.document_keys.add(obj.key)
    return changes


def touches_site(session: Session) -> bool:
    """Whether this flush changes anything a reader can see."""
    return site_changes(session).any


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    changes = site_changes(session)
    if changes.any:
        pending: SiteChanges = session.info.setdefault(_FLAG, SiteChanges())
        pending.add(changes)


def _after_flush(session: Session, _context: object) -> None:
    """Inside the transaction: the listings and the generation commit (or roll back) with the change.

    The generation grows once per transaction; listings are written again for every flush's items."""
    changes: SiteChanges | None = session.info.pop(_FLAG, None)
    if changes is None:
        return
    connection = session.connection()
    item_ids = [item.id for item in changes.items if item.id is not None]
    if item_ids or changes.document_keys:
        refresh_listings(connection, item_ids=item_ids, document_keys=changes.document_keys)
    if not session.info.get(_BUMPED):
        session.info[_BUMPED] = True
        connection.execute(
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
