"""The seven Celery tasks of the distributed mode: each a thin wrapper around a step, then the next stage.

poll_source -> fetch_item (per new item) -> extract_item -> translate_items (a batch: formed here
when enough items wait, else by the scheduler) -> stories_place -> review_item -> publish_item.

A failure is recorded on the item (stage, reason, message, one more attempt) and the task ends
normally: the scheduler's sweep retries failed items with attempts left after a backoff, the
same rule the embedded runner follows. No Celery autoretry: a retry that lives in the broker is
lost with it, one recorded in the store is not. A task a killed worker never finished is
redelivered by Redis (acks_late) or re-enqueued by the scheduler (items.queued_at gone stale).

Async fetching inside sync tasks: one event loop per worker process, on a thread of its own,
with one Fetcher opened lazily in it. Tasks hand it coroutines and wait. One long-lived loop
(rather than asyncio.run per task) keeps the Fetcher's connection pool, robots.txt cache and
per-host rate limits across tasks, which a per-task loop would throw away; it works the same
under the prefork pool (one loop per child, made after the fork) and the threads pool (tasks
on several threads share the loop, which is thread-safe to submit to).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Coroutine
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from celery import Task, shared_task
from sqlalchemy.orm import Session

from babelwire.fetch.fetcher import Fetcher, open_fetcher
from babelwire.pipeline import steps, story_step
from babelwire.pipeline.distributed.context import WorkerContext, worker_context
from babelwire.pipeline.polling import Poller
from babelwire.pipeline.report import RunReport
from babelwire.pipeline.screening import screen_item
from babelwire.store import queries
from babelwire.store.models import ItemStatus
from babelwire.store.sources import due_sources

log = logging.getLogger("babelwire.pipeline.distributed")
T = TypeVar("T")

POLL, FETCH, EXTRACT = "babelwire.poll_source", "babelwire.fetch_item", "babelwire.extract_item"
TRANSLATE, REVIEW, PUBLISH = "babelwire.translate_items", "babelwire.review_item", "babelwire.publish_item"
STORIES = "babelwire.stories_place"
# One item each (translate: batches).
STEP_TASKS = {"fetch": FETCH, "extract": EXTRACT, "stories": STORIES, "review": REVIEW}
NEW_ITEMS_PER_POLL = 10_000  # fetch tasks one poll enqueues at most (the scheduler takes the rest)


class _Loop:
    """This process's event loop, on a daemon thread, and the Fetcher living in it."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self._fetcher: Fetcher | None = None
        self._stack = AsyncExitStack()
        thread = threading.Thread(target=self.loop.run_forever, name="babelwire-loop", daemon=True)
        thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    async def fetcher(self, context: WorkerContext) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = await self._stack.enter_async_context(open_fetcher(context.settings.fetch))
        return self._fetcher


_loop_lock = threading.Lock()
_loop: _Loop | None = None


def event_loop() -> _Loop:
    """This process's loop, made on first use (and again in a forked child: threads do not survive fork)."""
    global _loop
    with _loop_lock:
        if _loop is None or _loop.pid != os.getpid():
            _loop = _Loop()
        return _loop


F = TypeVar("F", bound=Callable[..., None])


def task(name: str) -> Callable[[F], F]:
    """Celery's shared_task (bound: the task enqueues through its own app), typed for mypy."""
    return cast(Callable[[F], F], shared_task(name=name, bind=True))


def enqueue(current: Task, name: str, *args: Any) -> None:
    current.app.send_task(name, args=args)


@task(POLL)
def poll_source(self: Task, source_id: int) -> None:
    """Poll one source, record the outcome (schedule, errors, new items), enqueue a fetch per new item."""
    context = worker_context()
    # force: the scheduler already decided it is due (and moved next_poll_at ahead when claiming it).
    found = steps.read(
        context.store, lambda s: due_sources(s, datetime.now(UTC), force=True, source_ids=[source_id])
    )
    if not found:
        return  # deleted or disabled since the scheduler claimed it
    (due,) = found

    async def poll() -> None:
        fetcher = await event_loop().fetcher(context)
        await Poller(context.settings, context.store, fetcher, RunReport()).poll_and_record(due)

    event_loop().run(poll())
    now = datetime.now(UTC)
    new = steps.write(
        context.store,
        lambda s: queries.claim_items(s, ItemStatus.NEW, now, limit=NEW_ITEMS_PER_POLL, source_id=source_id),
    )
    for item_id in new:
        enqueue(self, FETCH, item_id)


@task(FETCH)
def fetch_item(self: Task, item_id: int) -> None:
    context = worker_context()

    async def fetch() -> None:
        await steps.fetch(context.store, await event_loop().fetcher(context), item_id)

    try:
        event_loop().run(fetch())
    except Exception as exc:
        steps.record_failure(context.store, item_id, "fetch", exc)
        return
    enqueue(self, EXTRACT, item_id)


@task(EXTRACT)
def extract_item(self: Task, item_id: int) -> None:
    """Extract, then form a translate batch if a full one waits (the scheduler sends partial ones)."""
    context = worker_context()
    try:
        steps.extract(context.store, item_id)
        screen_item(context.store, context.settings, item_id)  # an excluded item is never claimed below
    except Exception as exc:
        steps.record_failure(context.store, item_id, "extract", exc)
        return
    size = context.settings.distributed.translate_batch
    now = datetime.now(UTC)

    def claim_full_batch(session: Session) -> list[int]:
        waiting = queries.count_unclaimed(session, ItemStatus.EXTRACTED)
        if waiting < size:
            return []
        return queries.claim_items(session, ItemStatus.EXTRACTED, now, limit=size)

    batch = steps.write(context.store, claim_full_batch)
    if batch:
        enqueue(self, TRANSLATE, batch)


@task(TRANSLATE)
def translate_items(self: Task, item_ids: list[int]) -> None:
    """Translate a batch of articles concurrently (engine batching across articles), then review each."""
    context = worker_context()
    done, _ = steps.translate_batch(context.store, context.translator, context.settings, item_ids)
    for item_id in done:
        enqueue(self, STORIES, item_id)


@task(STORIES)
def place_story(self: Task, item_id: int) -> None:
    """Find the copy the article is, else give it its story (one at a time across workers); then review.

    A copy settles as a duplicate of its original: no review, no publication of its own."""
    context = worker_context()
    try:
        status = story_step.place_item(context.store, context.settings, context.stories, item_id)
    except Exception as exc:
        steps.record_failure(context.store, item_id, "stories", exc)
        return
    if status == ItemStatus.PLACED:
        enqueue(self, REVIEW, item_id)


@task(REVIEW)
def review_item(self: Task, item_id: int) -> None:
    context = worker_context()
    try:
        steps.review(context.store, context.translator, context.settings, item_id)
    except Exception as exc:
        steps.record_failure(context.store, item_id, "review", exc)
        return
    enqueue(self, PUBLISH, item_id)


@task(PUBLISH)
def publish_item(self: Task, item_id: int) -> None:
    context = worker_context()
    try:
        outcome = steps.publish(context.store, context.settings, item_id)
    except Exception as exc:
        steps.record_failure(context.store, item_id, "publish", exc)
        return
    log.info("item %s: %s", item_id, outcome)
