"""Source scheduling in the store: which sources are due, and bulk writes of poll outcomes.

A polling round touches every source; at 10,000 sources per-row ORM loading and flushing
is most of the cost, so due sources are read as plain column tuples and outcomes are
written as ORM bulk UPDATEs by primary key, many sources per transaction (the few columns
readers see through the ORM rows, for the site generation's flush hook).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from babelwire.domain import Source, SourceKind
from babelwire.store.changes import PUBLIC_SOURCE_COLUMNS
from babelwire.store.models import ItemRow, ItemStatus, SourceRow


@dataclass(frozen=True)
class DueSource:
    """A source to poll, with what its next poll needs to know: validators, errors, WebSub state."""

    id: int
    source: Source
    etag: str | None = None
    last_modified: str | None = None
    error_count: int = 0
    poll_interval: int | None = None
    websub_state: str | None = None
    websub_hub: str | None = None
    websub_topic: str | None = None
    websub_secret: str | None = None
    websub_expires_at: datetime | None = None


_DUE_COLUMNS = (
    SourceRow.id,
    SourceRow.name,
    SourceRow.url,
    SourceRow.kind,
    SourceRow.language,
    SourceRow.site_url,
    SourceRow.link_pattern,
    SourceRow.etag,
    SourceRow.last_modified,
    SourceRow.error_count,
    SourceRow.poll_interval,
    SourceRow.websub_state,
    SourceRow.websub_hub,
    SourceRow.websub_topic,
    SourceRow.websub_secret,
    SourceRow.websub_expires_at,
)


def due_sources(
    session: Session, now: datetime, *, force: bool = False, source_ids: Sequence[int] | None = None
) -> list[DueSource]:
    """Enabled sources whose next poll time has come (all enabled ones with `force`), oldest id first;
    `source_ids` narrows it to those (a distributed poll task polls the one it was given)."""
    query = select(*_DUE_COLUMNS).where(SourceRow.enabled.is_(True)).order_by(SourceRow.id)
    if not force:
        query = query.where(or_(SourceRow.next_poll_at.is_(None), SourceRow.next_poll_at <= now))
    if source_ids is not None:
        query = query.where(SourceRow.id.in_(list(source_ids)))
    due = []
    for row in session.execute(query):
        (id_, name, url, kind, language, site_url, link_pattern, *rest) = row
        source = Source(
            name=name,
            url=url,
            kind=SourceKind(kind or SourceKind.FEED),
            language=language,
            site_url=site_url,
            link_pattern=link_pattern,
        )
        etag, modified, errors, interval, state, hub, topic, secret, expires = rest
        due.append(
            DueSource(id_, source, etag, modified, errors or 0, interval, state, hub, topic, secret, expires)
        )
    return due


def recent_item_dates(
    session: Session, source_ids: Iterable[int], since: datetime
) -> dict[int, list[datetime]]:
    """Publication dates (else discovery dates) of each source's items since `since`, oldest first."""
    ids = list(source_ids)
    if not ids:
        return {}
    when = func.coalesce(ItemRow.published_at, ItemRow.created_at)
    query = (
        select(ItemRow.source_id, ItemRow.published_at, ItemRow.created_at)
        .where(ItemRow.source_id.in_(ids), when >= since)
        .order_by(ItemRow.source_id, when)
    )
    dates: dict[int, list[datetime]] = defaultdict(list)
    for source_id, published, created in session.execute(query):
        dates[source_id].append(published or created)
    return dict(dates)


def update_sources(session: Session, changes: Sequence[Mapping[str, Any]]) -> None:
    """Apply column changes, each mapping holding the source's `id` and the columns to set.

    Poll bookkeeping goes in one bulk UPDATE by primary key, which no flush hook sees; columns
    readers see (a site URL or language learnt from the feed, a source disabled) are set on the
    ORM rows instead, so store/changes.py bumps the site generation in this same transaction.
    """
    public: dict[int, dict[str, Any]] = {}
    private: list[dict[str, Any]] = []
    for change in changes:
        shown = {name: value for name, value in change.items() if name in PUBLIC_SOURCE_COLUMNS}
        if shown:
            public.setdefault(change["id"], {}).update(shown)
        rest = {name: value for name, value in change.items() if name not in PUBLIC_SOURCE_COLUMNS}
        if len(rest) > 1:  # more than the id
            private.append(rest)
    if public:
        for row in session.scalars(select(SourceRow).where(SourceRow.id.in_(list(public)))):
            for name, value in public[row.id].items():
                setattr(row, name, value)
        session.flush()
    if private:
        session.execute(update(SourceRow), private)


def next_poll_due(session: Session, now: datetime) -> datetime | None:
    """When the earliest enabled source falls due: `now` for a never-polled one, None without sources."""
    query = (
        select(SourceRow.next_poll_at)
        .where(SourceRow.enabled.is_(True))
        .order_by(SourceRow.next_poll_at.asc().nulls_first())
        .limit(1)
    )
    first = session.execute(query).first()
    if first is None:
        return None
    return first[0] or now


def has_new_items(session: Session) -> bool:
    """Whether any item waits that no run has touched yet (e.g. pushed by a WebSub hub)."""
    query = (
        select(ItemRow.id)
        .join(SourceRow)
        .where(ItemRow.status == ItemStatus.NEW, SourceRow.enabled.is_(True))
        .limit(1)
    )
    return session.scalar(query) is not None
