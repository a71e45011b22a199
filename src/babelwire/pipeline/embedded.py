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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from functools import partial
from typing import TypeVar

import httpcore
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.domain import Document, Source
from babelwire.errors import BabelwireError
from babelwire.fetch.fetcher import Fetcher, open_fetcher
from babelwire.fetch.guard import Resolver
from babelwire.pipeline import stages
from babelwire.pipeline.polling import Poller, failure_reason
from babelwire.pipeline.report import Failure, NullReporter, Reporter, RunReport
from babelwire.store import queries
from babelwire.store import sources as source_store
from babelwire.store.db import Store
from babelwire.store.models import (
    DocumentRow,
    ItemRow,
    ItemStatus,
    PageRow,
    ReviewStatus,
    TranslationRow,
)
from babelwire.translate.memory import StoreMemory
from babelwire.translate.router import Router
from babelwire.translate.translator import Translator

log = logging.getLogger("babelwire.pipeline")
T = TypeVar("T")
MAX_ATTEMPTS = 3
WAKE_CHECK_SECONDS = 2.0  # how often an idle runner looks for due sources and pushed items


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
        self._cpu = ThreadPoolExecutor(
            max_workers=max(2, settings.workers), thread_name_prefix="babelwire-cpu"
        )

    def close(self) -> None:
        self._cpu.shutdown(wait=True)

    def _write(self, action: Callable[[Session], T]) -> T:
        with self.store.session() as session, session.begin():
            return action(session)

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
                log.info("run finished: %d published, %d failed", report.published, report.failed)
                await self._idle(stop)

    async def _round(self, fetcher: Fetcher, *, force_poll: bool) -> RunReport:
        report = RunReport()
        await Poller(self.settings, self.store, fetcher, report, self.reporter).poll_due(force=force_poll)
        await self._process_items(fetcher, report)
        return report

    async def _idle(self, stop: asyncio.Event) -> None:
        """Wait until a source is due or new items wait (pushed by a WebSub hub), checking every few seconds.

        At most min(60 s, poll_interval): failed items are retried on the next round.
        """
        longest = time.monotonic() + min(60, self.settings.poll_interval)
        while not stop.is_set() and time.monotonic() < longest:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=WAKE_CHECK_SECONDS)
            if self._write(self._work_waiting):
                return

    @staticmethod
    def _work_waiting(session: Session) -> bool:
        now = datetime.now(UTC)
        due_at = source_store.next_poll_due(session, now)
        return source_store.has_new_items(session) or (due_at is not None and due_at <= now)

    async def _process_items(self, fetcher: Fetcher, report: RunReport) -> None:
        item_ids = self._write(
            lambda s: [row.id for row in queries.pending_items(s, max_attempts=MAX_ATTEMPTS)]
        )
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
        item_url, page_key, document_key, source = self._write(lambda s: self._item_state(s, item_id))
        stage = "fetch"
        try:
            loop = asyncio.get_running_loop()
            if page_key is None:
                page = await stages.fetch_page(fetcher, item_url)
                page_key = self._write(
                    lambda s: self._attach(s, item_id, page_key=queries.save_page(s, page).key)
                )
            if document_key is None:
                stage = "extract"
                page = self._write(lambda s: queries.page_from_row(s.get_one(PageRow, page_key)))
                document = await loop.run_in_executor(self._cpu, stages.extract_document, page)
                document_key = self._write(
                    lambda s: self._attach(s, item_id, document_key=queries.save_document(s, document).key)
                )
            stage = "translate"
            document = self._write(lambda s: queries.document_from_row(s.get_one(DocumentRow, document_key)))
            source_lang = stages.document_language(document, source)
            statuses = []
            for target in self.settings.target_languages:
                stage = "translate"
                key = await self._translation(item_id, item_url, document, source, source_lang, target)
                stage = "review"
                statuses.append(await self._review(item_id, item_url, document, key))
            stage = "publish"
            outcome = self._write(lambda s: queries.settle_item(s, s.get_one(ItemRow, item_id), statuses))
        except Exception as exc:  # recorded on the item; the other items go on
            reason, message = failure_reason(exc)
            if not isinstance(exc, BabelwireError):
                log.exception("item %s %s: unexpected %s failure", item_id, item_url, stage)
            self._write(
                lambda s: queries.record_failure(s, s.get_one(ItemRow, item_id), stage, reason, message)
            )
            report.failures.append(Failure(item_url, stage, reason, message))
            log.warning("item %s %s: %s failed: %s: %s", item_id, item_url, stage, reason, message)
        else:
            if outcome == ItemStatus.PUBLISHED:
                report.published += 1
            else:
                report.held += 1
            languages = zip(self.settings.target_languages, statuses, strict=True)
            log.info(
                "item %s %s: %s (%s)",
                item_id,
                item_url,
                outcome,
                ", ".join(f"{t}: {v}" for t, v in languages),
            )

    async def _translation(
        self, item_id: int, item_url: str, document: Document, source: Source, source_lang: str, target: str
    ) -> str:
        """The key of the document's translation into `target`, translating it if there is none yet."""
        existing = self._write(
            partial(queries.find_translation, document_key=document.key, target_lang=target)
        )
        if existing is not None:
            return existing.key
        translation, usage = await asyncio.get_running_loop().run_in_executor(
            self._cpu, stages.translate_article, document, source, source_lang, target, self.translator,
            self.settings.glossary,
        )  # fmt: skip
        self._write(partial(queries.save_translation, translation=translation))
        log.info(
            "item %s %s: %s->%s by %s: %d sentences, %d from memory, %d sent to the engine%s",
            item_id, item_url, source_lang, target, translation.engine, usage.sentences,
            usage.memory_hits, usage.sent_to_engine,
            f", lost tokens: {usage.lost_tokens}" if usage.lost_tokens else "",
        )  # fmt: skip
        return translation.key

    async def _review(self, item_id: int, item_url: str, document: Document, key: str) -> str:
        """The translation's review status, asking the automated editor if it has not decided yet."""
        row = self._write(lambda s: s.get_one(TranslationRow, key))
        if row.review_status != ReviewStatus.PENDING:
            return row.review_status
        translation = queries.translation_from_row(row)
        verdict = await asyncio.get_running_loop().run_in_executor(
            self._cpu, stages.review_article, document, translation, self.settings.review, self.translator
        )
        decision, findings = str(verdict.decision), verdict.findings_json()
        self._write(
            partial(
                queries.save_verdict, key=key, decision=decision, score=verdict.score, findings_json=findings
            )
        )
        if verdict.decision != "publish":
            reasons = "; ".join(verdict.reasons[:3])
            log.warning("item %s %s: %s translation %s (score %.2f): %s", item_id, item_url,
                        translation.target_lang, verdict.decision, verdict.score, reasons)  # fmt: skip
        return str(verdict.decision)

    @staticmethod
    def _item_state(session: Session, item_id: int) -> tuple[str, str | None, str | None, Source]:
        item = session.get_one(ItemRow, item_id)
        return item.url, item.page_key, item.document_key, queries.source_from_row(item.source)

    @staticmethod
    def _attach(
        session: Session, item_id: int, *, page_key: str | None = None, document_key: str | None = None
    ) -> str:
        item = session.get_one(ItemRow, item_id)
        if page_key is not None:
            item.page_key, item.status = page_key, ItemStatus.FETCHED
            return page_key
        assert document_key is not None
        item.document_key, item.status = document_key, ItemStatus.EXTRACTED
        return document_key
