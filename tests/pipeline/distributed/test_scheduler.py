"""Scheduler claims: each due source and item is claimed once; stale and failed items come back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from babelwire.config import Settings
from babelwire.domain import FeedItem
from babelwire.pipeline import steps
from babelwire.pipeline.distributed.scheduler import Tick, claim, retry_delay
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, ItemStatus, SourceRow
from tests.pipeline.distributed.conftest import add_source

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def add_items(store: Store, source_id: int, count: int) -> list[int]:
    with store.session() as session, session.begin():
        source = session.get_one(SourceRow, source_id)
        items = tuple(
            FeedItem(url=f"http://127.0.0.1:9/a/{n}", guid=f"g{n}", title=f"t{n}") for n in range(count)
        )
        return [row.id for row in queries.add_items(session, source, items)]


def tick(store: Store, settings: Settings, now: datetime = NOW) -> Tick:
    return steps.write(store, lambda s: claim(s, settings, now))


def test_a_due_source_and_new_items_are_claimed_once(settings: Settings, store: Store) -> None:
    source_id = add_source(store, "http://127.0.0.1:9/rss.xml")
    ids = add_items(store, source_id, 3)

    first = tick(store, settings)
    second = tick(store, settings, NOW + timedelta(seconds=1))

    assert first.polls == [source_id]
    assert first.fetches == ids
    assert not second, "a second tick (or a second scheduler) must not enqueue the same work again"
    later = tick(store, settings, NOW + timedelta(seconds=settings.distributed.stale_after + 1))
    assert later.polls == [source_id], "a poll whose task got lost is claimed again after stale_after"


def test_extracted_items_go_out_in_batches(settings: Settings, store: Store) -> None:
    settings = settings.model_copy(
        update={"distributed": settings.distributed.model_copy(update={"translate_batch": 4})}
    )
    ids = add_items(store, add_source(store, "http://127.0.0.1:9/rss.xml"), 10)
    with store.session() as session, session.begin():
        session.execute(update(ItemRow).values(status=ItemStatus.EXTRACTED))

    batches = tick(store, settings).batches

    assert batches == [ids[:4], ids[4:8], ids[8:]]
    assert tick(store, settings, NOW + timedelta(seconds=1)).batches == []


def test_stale_items_are_requeued_by_what_they_have(settings: Settings, store: Store) -> None:
    new, fetched = add_items(store, add_source(store, "http://127.0.0.1:9/rss.xml"), 2)
    with store.session() as session, session.begin():
        session.execute(update(ItemRow).where(ItemRow.id == fetched).values(status=ItemStatus.FETCHED))
        session.execute(update(ItemRow).values(page_key=None))
    past = NOW - timedelta(hours=1)
    tick(store, settings, past)  # claims the new item (a fetch task that then gets lost)
    with store.session() as session, session.begin():
        session.execute(update(ItemRow).values(updated_at=past, queued_at=past))

    requeued = tick(store, settings).requeued

    assert sorted(requeued) == [("fetch", new), ("fetch", fetched)]


def test_failed_items_are_retried_after_a_growing_wait_until_out_of_attempts(
    settings: Settings, store: Store
) -> None:
    (item_id,) = add_items(store, add_source(store, "http://127.0.0.1:9/rss.xml"), 1)
    tick(store, settings)
    with store.session() as session, session.begin():
        item = session.get_one(ItemRow, item_id)
        queries.record_failure(session, item, "fetch", "timeout", "too slow")
        item.updated_at = failed_at = NOW + timedelta(seconds=1)
    assert retry_delay(settings, 2) == 2 * retry_delay(settings, 1)

    assert tick(store, settings, failed_at + timedelta(seconds=1)).requeued == []
    due = failed_at + timedelta(seconds=retry_delay(settings, 1) + 1)
    assert tick(store, settings, due).requeued == [("fetch", item_id)]
    with store.session() as session, session.begin():
        item = session.get_one(ItemRow, item_id)
        item.status, item.attempts = ItemStatus.FAILED, steps.MAX_ATTEMPTS
    assert tick(store, settings, due + timedelta(days=1)).requeued == []


def test_waiting_items_are_counted_as_claims_would_take_them(store: Store) -> None:
    """A full translate batch is judged by the items a claim can take: not those of disabled sources."""
    on = add_items(store, add_source(store, "http://127.0.0.1:9/on.xml"), 2)
    off_source = add_source(store, "http://127.0.0.1:9/off.xml")
    add_items(store, off_source, 3)
    with store.session() as session, session.begin():
        session.execute(update(ItemRow).values(status=ItemStatus.EXTRACTED))
        session.get_one(SourceRow, off_source).enabled = False

    assert steps.read(store, lambda s: queries.count_unclaimed(s, ItemStatus.EXTRACTED)) == len(on)
    claimed = steps.write(store, lambda s: queries.claim_items(s, ItemStatus.EXTRACTED, NOW, limit=10))
    assert claimed == on
    assert steps.read(store, lambda s: queries.count_unclaimed(s, ItemStatus.EXTRACTED)) == 0
