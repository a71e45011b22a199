"""The embedded runner: one process, asyncio for network I/O, threads for CPU and engines.

Polling lives in pipeline/polling.py; this module orchestrates rounds and moves items.
Every request, polls and article pages alike, goes through one polite, SSRF-guarded Fetcher.

Database writes happen in short transactions between awaits, never across one, so
concurrent articles never hold SQLite's write lock while waiting on the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from functools import partial

import httpcore
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.fetch.fetcher import Fetcher, open_fetcher
from babelwire.fetch.guard import Resolver
from babelwire.pipeline import steps, story_step
from babelwire.pipeline.polling import Poller
from babelwire.pipeline.report import NullReporter, Reporter, RunReport
from babelwire.pipeline.screening import screen_item
from babelwire.store import queries
from babelwire.store import sources as source_store
from babelwire.store.db import Store
from babelwire.store.models import ItemStatus
from babelwire.translate.memory import StoreMemory
from babelwire.translate.router import Router
from babelwire.translate.translator import Translator

log = logging.getLogger("babelwire.pipeline")
# How often an idle runner looks for due sources and pushed items: two indexed reads, so once a
# second costs nothing and keeps a WebSub push's wait for the runner to about a second.
WAKE_CHECK_SECONDS = 1.0


class EmbeddedRunner:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        reporter: Reporter | None = None,
        *,
        resolver: Resolver | None = None,
        network_backend: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.reporter = reporter or NullReporter()
        self.resolver = resolver
        self.network_backend = network_backend
        self.translator = Translator(Router.from_settings(settings), StoreMemory(store))
        self.stories = story_step.WireStories()
        self._cpu = ThreadPoolExecutor(
            max_workers=max(2, settings.workers), thread_name_prefix="babelwire-cpu"
        )

    def close(self) -> None:
        self._cpu.shutdown(wait=True)

    def _fetcher(self) -> AbstractAsyncContextManager[Fetcher]:
        return open_fetcher(self.settings.fetch, resolver=self.resolver, network_backend=self.network_backend)

    async def run_once(self, *, force_poll: bool = False) -> RunReport:
        """Poll every due source, then move every pending item as far as it will go."""
        async with self._fetcher() as fetcher:
            return await self._round(fetcher, force_poll=force_poll)

    async def run_forever(self, *, stop: asyncio.Event | None = None) -> None:
        """Rounds until `stop`; one fetcher throughout, so robots.txt and host limits carry over."""
        stop = stop or asyncio.Event()
        async with self._fetcher() as fetcher:
            while not stop.is_set():
                report = await self._round(fetcher, force_poll=False)
                log.info("run finished: %d failed; %s", report.failed,
                         report.languages_line(self.settings.target_languages))  # fmt: skip
                await self._idle(stop)

    async def _round(self, fetcher: Fetcher, *, force_poll: bool) -> RunReport:
        report = RunReport()
        await Poller(self.settings, self.store, fetcher, report, self.reporter).poll_due(force=force_poll)
        await self._process_items(fetcher, report)
        return report

    async def _idle(self, stop: asyncio.Event) -> None:
        """Wait until a source is due or new items wait (pushed by a WebSub hub), checking every second.

        Checked first: what was pushed, or fell due, while the round ran starts the next round
        at once. At most min(60 s, poll_interval): failed items are retried on the next round.
        """
        longest = time.monotonic() + min(60, self.settings.poll_interval)
        while not stop.is_set() and time.monotonic() < longest:
            if steps.read(self.store, self._work_waiting):
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=WAKE_CHECK_SECONDS)

    @staticmethod
    def _work_waiting(session: Session) -> bool:
        now = datetime.now(UTC)
        due_at = source_store.next_poll_due(session, now)
        return source_store.has_new_items(session) or (due_at is not None and due_at <= now)

    async def _process_items(self, fetcher: Fetcher, report: RunReport) -> None:
        pending = partial(queries.pending_items, max_attempts=steps.MAX_ATTEMPTS)
        item_ids = steps.read(self.store, lambda s: [row.id for row in pending(s)])
        self.reporter.begin("articles", len(item_ids))
        limit = asyncio.Semaphore(self.settings.fetch.concurrency)

        async def process_one(item_id: int) -> None:
            async with limit:
                try:
                    await self._process_item(fetcher, item_id, report)
                finally:
                    self.reporter.advance("articles")

        await asyncio.gather(*(process_one(item_id) for item_id in item_ids))

    async def _process_item(self, fetcher: Fetcher, item_id: int, report: RunReport) -> None:
        """One article through the shared steps (pipeline/steps.py), CPU steps on the thread pool."""
        loop = asyncio.get_running_loop()
        stage = "fetch"
        try:
            await steps.fetch(self.store, fetcher, item_id)
            stage = "extract"
            await loop.run_in_executor(self._cpu, steps.extract, self.store, item_id)
            stage = "filter"
            if not await loop.run_in_executor(self._cpu, screen_item, self.store, self.settings, item_id):
                report.excluded += 1
                return
            stage = "translate"
            await loop.run_in_executor(
                self._cpu, steps.translate, self.store, self.translator, self.settings, item_id
            )
            stage = "stories"
            placed = await loop.run_in_executor(
                self._cpu, story_step.place_item, self.store, self.settings, self.stories, item_id
            )
            if placed == ItemStatus.DUPLICATE:
                report.duplicates += 1
                return
            stage = "review"
            statuses = await loop.run_in_executor(
                self._cpu, steps.review, self.store, self.translator, self.settings, item_id
            )
            stage = "publish"
            outcome = steps.publish(self.store, self.settings, item_id)
        except Exception as exc:  # recorded on the item; the other items go on
            report.failures.append(steps.record_failure(self.store, item_id, stage, exc))
            return
        if outcome == ItemStatus.PUBLISHED:
            report.published += 1
        else:
            report.held += 1
        report.count_reviews(self.settings.target_languages, statuses)
        languages = zip(self.settings.target_languages, statuses, strict=True)
        log.info("item %s: %s (%s)", item_id, outcome, ", ".join(f"{t}: {v}" for t, v in languages))
