"""The embedded runner: one process, asyncio for network I/O, threads for CPU and engines.

Database writes happen in short transactions between awaits, never across one, so
concurrent articles never hold SQLite's write lock while waiting on the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

import httpx
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.domain import Document, FeedPoll, Source
from babelwire.errors import BabelwireError
from babelwire.fetch.client import make_client
from babelwire.pipeline import stages
from babelwire.pipeline.report import Failure, NullReporter, Reporter, RunReport
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import (
    DocumentRow,
    ItemRow,
    ItemStatus,
    PageRow,
    ReviewStatus,
    SourceRow,
    TranslationRow,
)
from babelwire.translate.memory import StoreMemory
from babelwire.translate.router import Router
from babelwire.translate.translator import Translator

log = logging.getLogger("babelwire.pipeline")
T = TypeVar("T")
MAX_ATTEMPTS = 3


def _reason(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, BabelwireError):
        return exc.reason, exc.message
    return type(exc).__name__, str(exc) or type(exc).__name__


class EmbeddedRunner:
    def __init__(self, settings: Settings, store: Store, reporter: Reporter | None = None) -> None:
        self.settings = settings
        self.store = store
        self.reporter = reporter or NullReporter()
        self.translator = Translator(Router.from_settings(settings), StoreMemory(store))
        self._cpu = ThreadPoolExecutor(
            max_workers=max(2, settings.workers), thread_name_prefix="babelwire-cpu"
        )

    def close(self) -> None:
        self._cpu.shutdown(wait=True)

    def _write(self, action: Callable[[Session], T]) -> T:
        with self.store.session() as session, session.begin():
            return action(session)

    async def run_once(self, *, force_poll: bool = False) -> RunReport:
        """Poll every due source, then move every pending item as far as it will go."""
        report = RunReport()
        async with make_client(self.settings.fetch) as client:
            await self._poll_sources(client, report, force=force_poll)
            await self._process_items(client, report)
        return report

    async def run_forever(self, *, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        while not stop.is_set():
            report = await self.run_once()
            log.info("run finished: %d published, %d failed", report.published, report.failed)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(60, self.settings.poll_interval))

    async def _poll_sources(self, client: httpx.AsyncClient, report: RunReport, *, force: bool) -> None:
        now = datetime.now(UTC)
        sources = self._write(
            lambda s: [
                (r.id, queries.source_from_row(r), r.etag, r.last_modified)
                for r in queries.due_sources(s, now, force=force)
            ]
        )
        self.reporter.begin("poll", len(sources))
        limit = asyncio.Semaphore(self.settings.fetch.concurrency)

        async def poll_one(source_id: int, source: Source, etag: str | None, modified: str | None) -> None:
            async with limit:
                try:
                    poll = await stages.poll_source(
                        client, source, self.settings.fetch, etag=etag, last_modified=modified
                    )
                except Exception as exc:  # every failure is recorded on its source; others go on
                    reason, message = _reason(exc)
                    self._write(lambda s: self._source_failed(s, source_id, f"{reason}: {message}"))
                    report.failures.append(Failure(source.url, "poll", reason, message))
                    log.warning("source %s: poll failed: %s: %s", source.url, reason, message)
                else:
                    found = self._write(lambda s: self._source_polled(s, source_id, poll))
                    report.sources_polled += 1
                    report.sources_not_modified += int(poll.not_modified)
                    report.items_found += found
                    log.info(
                        "source %s: %s",
                        source.url,
                        "not modified" if poll.not_modified else f"{found} new items",
                    )
                finally:
                    self.reporter.advance("poll")

        await asyncio.gather(*(poll_one(*entry) for entry in sources))

    def _source_polled(self, session: Session, source_id: int, poll: FeedPoll) -> int:
        row = session.get_one(SourceRow, source_id)
        row.etag, row.last_modified = poll.etag, poll.last_modified
        row.last_polled_at = datetime.now(UTC)
        row.next_poll_at = row.last_polled_at + timedelta(seconds=self.settings.poll_interval)
        row.last_error, row.error_count = None, 0
        if poll.site_url and not row.site_url and poll.site_url.startswith(("http://", "https://")):
            row.site_url = poll.site_url
        if poll.language and not row.language:
            row.language = poll.language.split("-")[0].lower()
        return len(queries.add_items(session, row, poll.items))

    def _source_failed(self, session: Session, source_id: int, message: str) -> None:
        row = session.get_one(SourceRow, source_id)
        row.last_polled_at = datetime.now(UTC)
        row.last_error = message[:4000]
        row.error_count = (row.error_count or 0) + 1
        # Exponential backoff with jitter, capped at a day.
        delay = min(86400, self.settings.poll_interval * 2 ** min(row.error_count, 6))
        row.next_poll_at = row.last_polled_at + timedelta(seconds=delay * random.uniform(0.8, 1.2))

    async def _process_items(self, client: httpx.AsyncClient, report: RunReport) -> None:
        item_ids = self._write(
            lambda s: [row.id for row in queries.pending_items(s, max_attempts=MAX_ATTEMPTS)]
        )
        self.reporter.begin("articles", len(item_ids))
        limit = asyncio.Semaphore(self.settings.fetch.concurrency)

        async def process_one(item_id: int) -> None:
            async with limit:
                try:
                    await self._process_item(client, item_id, report)
                finally:
                    self.reporter.advance("articles")

        await asyncio.gather(*(process_one(item_id) for item_id in item_ids))

    async def _process_item(self, client: httpx.AsyncClient, item_id: int, report: RunReport) -> None:
        item_url, page_key, document_key, source = self._write(lambda s: self._item_state(s, item_id))
        stage = "fetch"
        try:
            loop = asyncio.get_running_loop()
            if page_key is None:
                page = await stages.fetch_page(client, item_url, self.settings.fetch)
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
            reason, message = _reason(exc)
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
