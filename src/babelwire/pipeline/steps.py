"""One article's way through the stages, against the store: the steps both runners share.

The embedded runner calls them from its event loop and thread pool, the Celery tasks one per
task. Each step re-reads the item, does only what is missing and saves what it made in a short
transaction of its own (never across network I/O or an engine call). Running a step twice (a
redelivered task, a retried item, two workers racing) is harmless: keys are content hashes, and
a row that a concurrent copy of the step saved first is found instead of inserted again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.domain import Document, Page, Source, Translation
from babelwire.errors import BabelwireError
from babelwire.pipeline import stages
from babelwire.pipeline.polling import failure_reason
from babelwire.pipeline.report import Failure
from babelwire.sources.poll import Getter
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import DocumentRow, ItemRow, ItemStatus, PageRow, ReviewStatus
from babelwire.translate.translator import Translator

log = logging.getLogger("babelwire.pipeline")
T = TypeVar("T")

MAX_ATTEMPTS = 3  # a failed item is tried again until it has failed this often
# The order in which an item moves on; a step never moves an item back (a redelivered fetch of a
# published item leaves it published). FAILED items move on from wherever they stopped.
PROGRESS = (
    ItemStatus.NEW,
    ItemStatus.FETCHED,
    ItemStatus.EXTRACTED,
    ItemStatus.TRANSLATED,
    ItemStatus.PLACED,
)
SETTLED = ItemStatus.FINAL  # settled by the editor or a person, excluded by a filter, or a copy


class StepError(BabelwireError):
    """A step found its item in a state it cannot work from (e.g. extract before the page is fetched)."""


@dataclass(frozen=True)
class ItemState:
    """What a step needs to know about its item, read in one short transaction."""

    id: int
    url: str
    status: str
    source: Source
    page_key: str | None
    document_key: str | None


def write(store: Store, action: Callable[[Session], T]) -> T:
    """`action` in one transaction, tried once more after a unique-key clash.

    A clash means a concurrent copy of the step saved the same row first; the second try
    finds that row (every save looks before it inserts) instead of inserting it again.
    """
    try:
        with store.session() as session, session.begin():
            return action(session)
    except IntegrityError:
        with store.session() as session, session.begin():
            return action(session)


def read(store: Store, action: Callable[[Session], T]) -> T:
    with store.session() as session:
        return action(session)


def item_state(store: Store, item_id: int) -> ItemState:
    def load(session: Session) -> ItemState:
        item = session.get_one(ItemRow, item_id)
        source = queries.source_from_row(item.source)
        return ItemState(item.id, item.url, item.status, source, item.page_key, item.document_key)

    return read(store, load)


def advance(item: ItemRow, status: str) -> None:
    """Move the item on to `status` (never back); its queue claim was for the step now done."""
    if item.status in SETTLED:
        return
    if item.status == ItemStatus.FAILED or PROGRESS.index(item.status) < PROGRESS.index(status):
        item.status = status
        item.error_stage = item.error_class = item.error_message = None
    item.queued_at = None


async def fetch(store: Store, getter: Getter, item_id: int) -> None:
    """Fetch the item's page unless it has one."""
    state = item_state(store, item_id)
    if state.page_key is not None:
        return
    page = await stages.fetch_page(getter, state.url)
    write(store, lambda s: _attach_page(s, item_id, page))


def _attach_page(session: Session, item_id: int, page: Page) -> None:
    item = session.get_one(ItemRow, item_id)
    if item.page_key is None:
        item.page_key = queries.save_page(session, page).key
    advance(item, ItemStatus.FETCHED)


def extract(store: Store, item_id: int) -> None:
    """Extract the item's document from its page unless it has one."""
    state = item_state(store, item_id)
    if state.document_key is not None:
        return
    page_key = state.page_key
    if page_key is None:
        raise StepError("not_fetched", "the page is not fetched yet; the fetch step must run first")
    page = read(store, lambda s: queries.page_from_row(s.get_one(PageRow, page_key)))
    document = stages.extract_document(page)
    write(store, lambda s: _attach_document(s, item_id, document))


def _attach_document(session: Session, item_id: int, document: Document) -> None:
    item = session.get_one(ItemRow, item_id)
    if item.document_key is None:
        item.document_key = queries.save_document(session, document).key
    advance(item, ItemStatus.EXTRACTED)


def _document(store: Store, state: ItemState) -> Document:
    key = state.document_key
    if key is None:
        raise StepError("not_extracted", "the document is not extracted yet; the extract step must run first")
    return read(store, lambda s: queries.document_from_row(s.get_one(DocumentRow, key)))


def translate(store: Store, translator: Translator, settings: Settings, item_id: int) -> None:
    """Translate the item's document into every target language it has no translation in yet."""
    state = item_state(store, item_id)
    document = _document(store, state)
    source_lang = stages.document_language(document, state.source)
    for target in settings.target_languages:
        if read(store, partial(queries.find_translation, document_key=document.key, target_lang=target)):
            continue
        translation, usage = stages.translate_article(
            document, state.source, source_lang, target, translator, settings.glossary
        )
        write(store, partial(_save_translation, translation=translation))
        log.info(
            "item %s %s: %s->%s by %s: %d sentences, %d from memory, %d sent to the engine%s",
            item_id, state.url, source_lang, target, translation.engine, usage.sentences,
            usage.memory_hits, usage.sent_to_engine,
            f", lost tokens: {usage.lost_tokens}" if usage.lost_tokens else "",
        )  # fmt: skip
    write(store, lambda s: advance(s.get_one(ItemRow, item_id), ItemStatus.TRANSLATED))


def _save_translation(session: Session, translation: Translation) -> None:
    """Save unless the document already has a translation into that language (a racing copy made it)."""
    if queries.find_translation(session, translation.document_key, translation.target_lang) is None:
        queries.save_translation(session, translation)


def translate_batch(
    store: Store, translator: Translator, settings: Settings, item_ids: Sequence[int]
) -> tuple[list[int], list[Failure]]:
    """Translate a batch of items at once, each on its own thread; (translated ids, failures recorded).

    Concurrent articles are what lets an engine batch sentences across articles (the
    CTranslate2 engine's MicroBatcher gathers what concurrent callers send within a few ms).
    """
    if not item_ids:
        return [], []
    done: list[int] = []
    failures: list[Failure] = []
    with ThreadPoolExecutor(max_workers=len(item_ids), thread_name_prefix="babelwire-translate") as pool:
        futures = {
            item_id: pool.submit(translate, store, translator, settings, item_id) for item_id in item_ids
        }
        for item_id, future in futures.items():
            error = future.exception()
            if error is None:
                done.append(item_id)
            else:
                failures.append(record_failure(store, item_id, "translate", error))
    return done, failures


def review(store: Store, translator: Translator, settings: Settings, item_id: int) -> list[str]:
    """Review every target language's translation the automated editor has not decided on; the statuses."""
    state = item_state(store, item_id)
    document = _document(store, state)
    statuses = []
    for target in settings.target_languages:
        row = read(store, partial(queries.find_translation, document_key=document.key, target_lang=target))
        if row is None:
            raise StepError(
                "not_translated", f"no {target} translation yet; the translate step must run first"
            )
        if row.review_status != ReviewStatus.PENDING:
            statuses.append(row.review_status)
            continue
        translation = queries.translation_from_row(row)
        glossary = stages.glossary_for(settings.glossary, state.source, translation.source_lang, target)
        reviewed = stages.review_article(document, translation, settings.review, translator, glossary)
        verdict, repaired = reviewed.verdict, reviewed.translation
        decision, findings = str(verdict.decision), verdict.findings_json()
        changed = repaired if repaired != translation else None
        save = partial(queries.save_verdict, key=row.key, decision=decision, score=verdict.score,
                       findings_json=findings, repaired=changed)  # fmt: skip
        write(store, save)
        for repair in repaired.repairs:
            log.info(
                "item %s %s: %s sentence %d flagged; tried %d other translations, kept %s",
                item_id, state.url, target, repair.segment, len(repair.attempts), repair.kept,
            )  # fmt: skip
        if verdict.decision != "publish":
            reasons = "; ".join(verdict.reasons[:3])
            log.warning("item %s %s: %s translation %s (score %.2f): %s", item_id, state.url,
                        target, verdict.decision, verdict.score, reasons)  # fmt: skip
        statuses.append(decision)
    return statuses


def publish(store: Store, settings: Settings, item_id: int) -> str:
    """Settle the item from its reviewed translations: published, held or rejected; its status.

    An item already settled stays as it is (a person may have released or refused it since), so
    a redelivered publish never publishes twice nor moves site_published_at.
    """

    def settle(session: Session) -> str:
        item = session.get_one(ItemRow, item_id)
        if item.status in SETTLED:
            return item.status
        document_key = item.document_key
        if document_key is None:
            raise StepError(
                "not_extracted", "the document is not extracted yet; the extract step must run first"
            )
        statuses = []
        for target in settings.target_languages:
            row = queries.find_translation(session, document_key, target)
            if row is None or row.review_status == ReviewStatus.PENDING:
                raise StepError("not_reviewed", f"the {target} translation is not reviewed yet")
            statuses.append(row.review_status)
        item.queued_at = None
        return queries.settle_item(session, item, statuses)

    return write(store, settle)


def record_failure(store: Store, item_id: int, stage: str, exc: BaseException) -> Failure:
    """Record the failure on the item (stage, reason, message, one more attempt) and log it."""
    reason, message = failure_reason(exc)
    if not isinstance(exc, BabelwireError):
        log.error("item %s: unexpected %s failure", item_id, stage, exc_info=exc)

    def save(session: Session) -> str:
        item = session.get_one(ItemRow, item_id)
        queries.record_failure(session, item, stage, reason, message)
        item.queued_at = None
        return item.url

    url = write(store, save)
    log.warning("item %s %s: %s failed: %s: %s", item_id, url, stage, reason, message)
    return Failure(url, stage, reason, message)


def next_step(item: ItemRow) -> str:
    """The step an unsettled item needs next, judged from what it has (not from a FAILED status)."""
    if item.page_key is None:
        return "fetch"
    if item.document_key is None:
        return "extract"
    if item.status == ItemStatus.PLACED:
        return "review"
    if item.status == ItemStatus.TRANSLATED:
        return "stories"
    return "translate"
