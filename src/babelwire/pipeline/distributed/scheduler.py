"""The distributed scheduler: every tick, decide what is due and enqueue it; workers do the work.

Each tick claims in the store before it enqueues (sources: next_poll_at moved ahead; items:
queued_at stamped), in one short transaction, so two ticks or two schedulers never enqueue the
same thing twice. Messages go out after the commit; one lost between the two (a crash, a Redis
hiccup) is found by the stale sweep like any other lost message. Exactly-once publication does
not rest on the queue at all: steps are idempotent and unique keys stop duplicate rows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from celery import Celery
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.pipeline import steps
from babelwire.pipeline.distributed.app import make_app
from babelwire.pipeline.distributed.tasks import FETCH, POLL, STEP_TASKS, TRANSLATE
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, ItemStatus

log = logging.getLogger("babelwire.pipeline.distributed.scheduler")

CLAIMS_PER_TICK = 1000  # items or sources per kind and tick: a large backlog drains over ticks
RETRY_BASE_SECONDS = 30.0  # a failed item waits this long, doubling per attempt (at most stale_after)


@dataclass
class Tick:
    """What one tick enqueued (logged, and what tests assert)."""

    polls: list[int] = field(default_factory=list)
    fetches: list[int] = field(default_factory=list)
    batches: list[list[int]] = field(default_factory=list)
    requeued: list[tuple[str, int]] = field(default_factory=list)  # (step, item id): stale or retried

    def __bool__(self) -> bool:
        return bool(self.polls or self.fetches or self.batches or self.requeued)


def chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), max(1, size)):
        yield list(ids[start : start + max(1, size)])


def retry_delay(settings: Settings, attempts: int) -> float:
    """Seconds a failed item waits before its next attempt: doubling, capped at stale_after."""
    return float(min(settings.distributed.stale_after, RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)))


def claim(session: Session, settings: Settings, now: datetime) -> Tick:
    """Claim everything due now; what to enqueue. One transaction."""
    distributed = settings.distributed
    stale_cutoff = now - timedelta(seconds=distributed.stale_after)
    tick = Tick()
    tick.polls = queries.claim_due_sources(
        session, now, timedelta(seconds=distributed.stale_after), CLAIMS_PER_TICK
    )
    tick.fetches = queries.claim_items(session, ItemStatus.NEW, now, limit=CLAIMS_PER_TICK)
    # Stale and retried items before batching: a stale extracted item joins this tick's batches.
    revived: list[ItemRow] = queries.claim_stale_items(session, now, stale_cutoff, CLAIMS_PER_TICK)
    revived += queries.claim_retries(
        session,
        now,
        max_attempts=steps.MAX_ATTEMPTS,
        delay=lambda attempts: retry_delay(settings, attempts),
        limit=CLAIMS_PER_TICK,
    )
    to_translate = queries.claim_items(session, ItemStatus.EXTRACTED, now, limit=CLAIMS_PER_TICK)
    for row in revived:
        step = steps.next_step(row)
        if step == "translate":
            to_translate.append(row.id)
        else:
            tick.requeued.append((step, row.id))
    tick.batches = list(chunks(sorted(set(to_translate)), distributed.translate_batch))
    return tick


def send(app: Celery, tick: Tick) -> None:
    """Enqueue what a tick claimed (after its transaction committed)."""
    for source_id in tick.polls:
        app.send_task(POLL, args=(source_id,))
    for item_id in tick.fetches:
        app.send_task(FETCH, args=(item_id,))
    for batch in tick.batches:
        app.send_task(TRANSLATE, args=(batch,))
    for step, item_id in tick.requeued:
        app.send_task(STEP_TASKS[step], args=(item_id,))  # translate items go out in tick.batches


def tick_once(app: Celery, store: Store, settings: Settings, now: datetime | None = None) -> Tick:
    """One tick: claim, commit, enqueue."""
    moment = now or datetime.now(UTC)
    tick = steps.write(store, lambda s: claim(s, settings, moment))
    send(app, tick)
    if tick:
        log.info(
            "tick: %d polls, %d fetches, %d translate batches, %d re-enqueued",
            len(tick.polls), len(tick.fetches), len(tick.batches), len(tick.requeued),
        )  # fmt: skip
    return tick


def run_scheduler(settings: Settings, stop: threading.Event) -> None:
    """Tick every distributed.tick seconds until `stop` is set; a failing tick is logged and retried."""
    app = make_app(settings)
    store = Store.from_settings(settings)
    try:
        while not stop.is_set():
            try:
                tick_once(app, store, settings)
            except Exception:  # the database or broker is away for a moment: the next tick tries again
                log.exception("scheduler tick failed; trying again in %g s", settings.distributed.tick)
            stop.wait(settings.distributed.tick)
    finally:
        store.close()
        app.close()
