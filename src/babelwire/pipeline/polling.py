"""Polling every due source once: fetch through the polite Fetcher, record each outcome.

Built for 10,000 sources a round on a small machine: a fixed pool of poll tasks
(polling.concurrency: bounded memory, not one coroutine per source; more than the fetch
stage's, since a poll mostly waits on a distant server), sources interleaved by host so the
per-host rate limit never stalls the whole pool, feeds parsed in worker processes when the
round is large (sources/parse_pool.py: feedparser would otherwise share the event loop's
core), and one writer that stores outcomes in batches (one transaction and one INSERT per
~200 sources) on a thread, so the event loop keeps polling.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.domain import FeedItem, FeedPoll
from babelwire.errors import BabelwireError
from babelwire.fetch.client import FetchResult
from babelwire.fetch.fetcher import Fetcher
from babelwire.pipeline.report import Failure, NullReporter, Reporter, RunReport
from babelwire.sources.parse_pool import FeedParser, ParsePool, auto_processes
from babelwire.sources.poll import Getter, poll_source
from babelwire.sources.schedule import backoff_delay, cache_lifetime, next_interval, should_disable
from babelwire.sources.websub import needs_subscription, subscribe, subscription_secret
from babelwire.store import queries
from babelwire.store import sources as source_store
from babelwire.store import websub as websub_store
from babelwire.store.db import Store
from babelwire.store.models import ItemRow
from babelwire.store.sources import DueSource

log = logging.getLogger("babelwire.pipeline.polling")
T = TypeVar("T")

BATCH_SIZE = 200  # sources per write transaction
BATCH_SECONDS = 1.0  # ... or this long after the first unsaved outcome, whichever comes first
DATES_WINDOW = timedelta(days=30)  # item dates that inform the adaptive interval
DEADLINE_FACTOR = 10  # a source's whole poll (robots, sitemap children) gets this many total_timeouts
DEFERRED = "host_backoff"  # refused by us (the host asked us to wait): not the source's failure
PARALLEL_PARSE_MIN = 200  # due sources before a round parses feeds in worker processes (startup ~1 s)
URL_CHUNK = 1000  # item URLs per dedup query (bound parameters)


def failure_reason(exc: BaseException) -> tuple[str, str]:
    """The (reason, message) recorded for a failure: ours are explicit, anything else is its class."""
    if isinstance(exc, BabelwireError):
        return exc.reason, exc.message
    return type(exc).__name__, str(exc) or type(exc).__name__


@dataclass(frozen=True)
class PollOutcome:
    """What polling one source gave: a poll, or the error that stopped it."""

    due: DueSource
    at: datetime
    poll: FeedPoll | None = None
    error: BaseException | None = None
    cache_lifetime: int | None = None  # seconds the source's own caching headers allow


class _HeaderTap:
    """A Getter that remembers the first response's headers: the source URL's caching headers.

    poll_source returns parsed items only; the schedule also needs Cache-Control/Expires.
    """

    def __init__(self, getter: Getter) -> None:
        self._getter = getter
        self.headers: dict[str, str] | None = None

    async def get(self, url: str, **options: Any) -> FetchResult:
        result = await self._getter.get(url, **options)
        if self.headers is None:
            self.headers = result.headers
        return result


def interleave_by_host(due: Sequence[DueSource]) -> list[DueSource]:
    """Round-robin over hosts, so that concurrent polls go to different hosts.

    An OPML import puts a host's feeds next to each other; polled in id order, every poll
    task would queue behind that one host's rate limit while other hosts sit idle.
    """
    by_host: dict[str, list[DueSource]] = {}
    for entry in due:
        by_host.setdefault(urlsplit(entry.source.url).hostname or "", []).append(entry)
    rounds = itertools.zip_longest(*by_host.values())
    return [entry for batch in rounds for entry in batch if entry is not None]


def _clip(value: str | None, length: int) -> str | None:
    return value[:length] if value else None


def add_new_items(session: Session, found: Mapping[int, Sequence[FeedItem]]) -> dict[int, int]:
    """Store a batch's new items with one INSERT; how many were new, per source id.

    The rule of store.queries.add_items (a URL is one item: the first sighting, in batch
    order, wins over the store and over the rest of the batch), without a flushed ORM object
    per item: at 30,000 items in a first round those cost a quarter of the round's CPU.
    """
    urls = list(dict.fromkeys(item.url for items in found.values() for item in items))
    known: set[str] = set()
    for start in range(0, len(urls), URL_CHUNK):
        chunk = urls[start : start + URL_CHUNK]
        known.update(session.scalars(select(ItemRow.url).where(ItemRow.url.in_(chunk))))
    rows: list[dict[str, Any]] = []
    counts: dict[int, int] = {}
    for source_id, items in found.items():
        before = len(rows)
        for item in items:
            if item.url in known:
                continue
            known.add(item.url)
            rows.append(queries.new_item_values(source_id, item))
        counts[source_id] = len(rows) - before
    if rows:
        session.execute(insert(ItemRow), rows)
    return counts


def success_changes(
    settings: Settings, outcome: PollOutcome, item_dates: Sequence[datetime]
) -> dict[str, Any]:
    """Column changes for a successful poll: validators, errors cleared, the next (adaptive) poll time."""
    due, poll, at = outcome.due, outcome.poll, outcome.at
    assert poll is not None
    interval = next_interval(
        settings.polling,
        due.poll_interval or settings.poll_interval,
        item_dates=item_dates,
        now=at,
        cache_lifetime=outcome.cache_lifetime,
    )
    changes: dict[str, Any] = {
        "id": due.id,
        "etag": _clip(poll.etag or due.etag, 500),
        "last_modified": _clip(poll.last_modified or due.last_modified, 100),
        "last_polled_at": at,
        "poll_interval": interval,
        "next_poll_at": at + timedelta(seconds=interval),
        "last_error": None,
        "error_count": 0,
    }
    if poll.site_url and not due.source.site_url and poll.site_url.startswith(("http://", "https://")):
        changes["site_url"] = poll.site_url[:2000]
    if poll.language and not due.source.language:
        changes["language"] = poll.language.split("-")[0].lower()[:16]
    return changes


def failure_changes(settings: Settings, outcome: PollOutcome) -> dict[str, Any]:
    """Column changes for a failed poll: one more error, backoff (never before Retry-After), maybe disable."""
    due, at = outcome.due, outcome.at
    assert outcome.error is not None
    reason, message = failure_reason(outcome.error)
    retry_after = getattr(outcome.error, "retry_after", None)
    wait = min(float(retry_after), float(settings.fetch.max_retry_after)) if retry_after else 0.0
    if reason == DEFERRED:
        return {"id": due.id, "next_poll_at": at + timedelta(seconds=max(wait, 1.0))}
    errors = due.error_count + 1
    last_error = f"{reason}: {message}"[:4000]
    delay = backoff_delay(settings.polling, due.poll_interval or settings.poll_interval, errors)
    changes: dict[str, Any] = {
        "id": due.id,
        "last_polled_at": at,
        "error_count": errors,
        "last_error": last_error,
        "next_poll_at": at + timedelta(seconds=max(delay, wait)),
    }
    if should_disable(settings.polling, errors):
        changes["enabled"] = False
        changes["disabled_reason"] = f"disabled after {errors} consecutive failures: {last_error}"[:4000]
    return changes


class Poller:
    """Polls every due source once, writing outcomes as they come in."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        fetcher: Fetcher,
        report: RunReport,
        reporter: Reporter | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.fetcher = fetcher
        self.report = report
        self.reporter = reporter or NullReporter()
        self._subscriptions: list[asyncio.Task[None]] = []
        self._parse: FeedParser | None = None  # a big round's ParsePool; None: parse inline

    async def poll_due(self, *, force: bool = False) -> None:
        """One round: every due source (every enabled one with `force`) polled once and recorded."""
        now = datetime.now(UTC)
        due = self._read(lambda s: source_store.due_sources(s, now, force=force))
        self.reporter.begin("poll", len(due))
        if not due:
            return
        processes = auto_processes(self.settings.polling.parse_processes)
        async with ParsePool(processes if len(due) >= PARALLEL_PARSE_MIN else 0) as pool:
            self._parse = pool.parse_feed
            queue: asyncio.Queue[PollOutcome | None] = asyncio.Queue(maxsize=2 * BATCH_SIZE)
            writer = asyncio.create_task(self._write_outcomes(queue))
            pending = iter(interleave_by_host(due))
            workers = min(len(due), max(1, self.settings.polling.concurrency))
            try:
                await asyncio.gather(*(self._poll_worker(pending, queue) for _ in range(workers)))
            finally:
                self._parse = None
                await queue.put(None)
                await writer
        await self._await_subscriptions()

    async def poll_and_record(self, due: DueSource) -> None:
        """Poll one source and record its outcome at once: the distributed mode's poll task."""
        await self._flush([await self.poll_one(due)])
        await self._await_subscriptions()

    async def _await_subscriptions(self) -> None:
        """Wait for the WebSub subscriptions the recorded outcomes started."""
        if self._subscriptions:
            await asyncio.gather(*self._subscriptions)
            self._subscriptions.clear()

    async def _poll_worker(
        self, pending: Iterator[DueSource], queue: asyncio.Queue[PollOutcome | None]
    ) -> None:
        for due in pending:  # a shared iterator: each source goes to exactly one worker
            await queue.put(await self.poll_one(due))

    async def poll_one(self, due: DueSource) -> PollOutcome:
        """Poll one source; never raises (the outcome carries the error)."""
        tap = _HeaderTap(self.fetcher)
        deadline = DEADLINE_FACTOR * self.settings.fetch.total_timeout
        try:
            async with asyncio.timeout(deadline):
                poll = await poll_source(
                    tap, due.source, etag=due.etag, last_modified=due.last_modified, parse=self._parse
                )
        except TimeoutError as exc:
            error = BabelwireError("timeout", f"polling took longer than {deadline:g} s")
            error.__cause__ = exc
            return PollOutcome(due, datetime.now(UTC), error=error)
        except Exception as exc:  # every failure is recorded on its source; the others go on
            if not isinstance(exc, BabelwireError):
                log.exception("source %s: unexpected poll failure", due.source.url)
            return PollOutcome(due, datetime.now(UTC), error=exc)
        at = datetime.now(UTC)
        lifetime = cache_lifetime(tap.headers, at) if tap.headers is not None else None
        return PollOutcome(due, at, poll=poll, cache_lifetime=lifetime)

    async def _write_outcomes(self, queue: asyncio.Queue[PollOutcome | None]) -> None:
        """Save outcomes in batches: BATCH_SIZE of them, or what came within BATCH_SECONDS."""
        batch: list[PollOutcome] = []
        deadline = 0.0
        while True:
            try:
                timeout = max(0.0, deadline - time.monotonic()) if batch else None
                outcome = await asyncio.wait_for(queue.get(), timeout)
            except TimeoutError:
                await self._flush(batch)
                batch = []
                continue
            if outcome is None:
                break
            if not batch:
                deadline = time.monotonic() + BATCH_SECONDS
            batch.append(outcome)
            if len(batch) >= BATCH_SIZE:
                await self._flush(batch)
                batch = []
        if batch:
            await self._flush(batch)

    async def _flush(self, batch: list[PollOutcome]) -> None:
        new_items = await asyncio.to_thread(self._save, batch)
        for outcome in batch:
            self._account(outcome, new_items.get(outcome.due.id, 0))
        self.reporter.advance("poll", len(batch))

    def _save(self, batch: Sequence[PollOutcome]) -> dict[int, int]:
        """One transaction: the batch's new items, then every source's schedule and error state."""
        polled = [o for o in batch if o.poll is not None]
        found = {o.due.id: o.poll.items for o in polled if o.poll is not None and o.poll.items}
        with self.store.session() as session, session.begin():
            new_items = add_new_items(session, found)
            since = datetime.now(UTC) - DATES_WINDOW
            dates = source_store.recent_item_dates(session, [o.due.id for o in polled], since)
            changes = [
                success_changes(self.settings, o, dates.get(o.due.id, ()))
                if o.poll is not None
                else failure_changes(self.settings, o)
                for o in batch
            ]
            source_store.update_sources(session, changes)
        return new_items

    def _account(self, outcome: PollOutcome, new_items: int) -> None:
        """Count the outcome in the report, log it, and start a WebSub subscription it calls for."""
        url = outcome.due.source.url
        if outcome.error is not None:
            reason, message = failure_reason(outcome.error)
            if reason == DEFERRED:
                log.info("source %s: deferred: %s", url, message)
                return
            self.report.failures.append(Failure(url, "poll", reason, message))
            log.warning("source %s: poll failed: %s: %s", url, reason, message)
            return
        poll = outcome.poll
        assert poll is not None
        self.report.sources_polled += 1
        self.report.sources_not_modified += int(poll.not_modified)
        self.report.items_found += new_items
        if poll.not_modified:
            log.debug("source %s: not modified", url)
        else:
            log.info("source %s: %d new items", url, new_items)
        if self.settings.websub.enabled and poll.hub_url:
            self._maybe_subscribe(outcome.due, poll.hub_url, poll.self_url or url, outcome.at)

    def _maybe_subscribe(self, due: DueSource, hub: str, topic: str, now: datetime) -> None:
        if needs_subscription(due, hub, topic, due.websub_expires_at, now):
            self._subscriptions.append(asyncio.create_task(self._subscribe(due, hub, topic)))

    async def _subscribe(self, due: DueSource, hub: str, topic: str) -> None:
        """Record the request (committed first: the hub may verify before it answers), then ask the hub.

        A failure is recorded on the source and never stops polling; the request is retried
        when its wait runs out (store.websub.REQUEST_WAIT).
        """
        url = due.source.url
        secret = subscription_secret(due, hub, topic)
        try:
            await asyncio.to_thread(
                self._write,
                lambda s: websub_store.request_subscription(s, due.id, hub, topic, secret, datetime.now(UTC)),
            )
            await subscribe(self.fetcher, self.settings, due.id, hub, topic, secret)
        except Exception as exc:
            reason, message = failure_reason(exc)
            self.report.failures.append(Failure(url, "websub", reason, message))
            log.warning("source %s: WebSub subscription at %s failed: %s: %s", url, hub, reason, message)
            error = {
                "id": due.id,
                "last_error": f"WebSub subscription at {hub} failed: {reason}: {message}"[:4000],
            }
            await asyncio.to_thread(self._write, lambda s: source_store.update_sources(s, [error]))
        else:
            log.info("source %s: WebSub subscription requested at %s", url, hub)

    def _write(self, action: Callable[[Session], T]) -> T:
        with self.store.session() as session, session.begin():
            return action(session)

    def _read(self, action: Callable[[Session], T]) -> T:
        with self.store.session() as session:
            return action(session)
