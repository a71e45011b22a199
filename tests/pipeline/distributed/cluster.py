"""A distributed babelwire on one machine, for tests and benchmarks: real `babelwire worker` processes,
the scheduler, a generated Spanish news site on 127.0.0.1, and counts of what got published.

Workers are subprocesses started as systemd would start them (BABELWIRE_* environment), so
kill -9 and SIGTERM hit real processes. The scheduler runs on a thread of the caller.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any, Self

from sqlalchemy import func, select

from babelwire.config import Settings
from babelwire.demo.server import Response, SiteServer
from babelwire.demo.site import DemoArticle, load_articles, render_site
from babelwire.pipeline.distributed.app import make_app
from babelwire.pipeline.distributed.scheduler import run_scheduler
from babelwire.pipeline.steps import SETTLED
from babelwire.store.db import Store
from babelwire.store.models import DocumentRow, ItemRow, ItemStatus, StoryEventRow, TranslationRow

ROOT = Path(__file__).resolve().parents[3]
_PARAGRAPH = re.compile(r"<p>.*?</p>", re.DOTALL)
_PLACES = ("Cádiz", "Huelva", "Jaén", "Almería", "Granada", "Córdoba", "Sevilla", "Málaga", "Murcia", "Lorca")
_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre")


def generated_articles(count: int) -> list[DemoArticle]:
    """`count` distinct Spanish articles made from the demo articles' paragraphs.

    Each gets its own title, a lead sentence of its own (place, date, figure) and paragraphs
    from two demo articles, so the translation memory cannot answer whole articles.
    """
    demo = load_articles()
    pools = [_PARAGRAPH.findall(article.body_html) or [f"<p>{article.summary}</p>"] for article in demo]
    start = datetime(2026, 11, 1, 8, tzinfo=UTC)
    articles = []
    for index in range(count):
        # `other` turns with each round through the demo articles: no two articles share both halves
        # (the stories stage would rightly take such a pair for copies of one another).
        rotation = (index * 7 + 3 + index // len(demo)) % len(demo)
        base, other = demo[index % len(demo)], pools[rotation]
        place, month = _PLACES[index % len(_PLACES)], _MONTHS[(index // len(_PLACES)) % len(_MONTHS)]
        lead = (
            f"<p>{place} registró el {index % 28 + 1} de {month} un total de {1000 + index * 37} "
            f"visitantes, según los datos publicados por el ayuntamiento número {index}.</p>"
        )
        body = lead + "".join(pools[index % len(demo)][:3]) + "".join(other[:2])
        articles.append(
            replace(
                base,
                slug=f"{base.slug}-{index}",
                title=f"{base.title}: crónica {index} desde {place}",
                published=start + timedelta(minutes=index),
                body_html=body,
            )
        )
    return articles


class NewsSite(SiteServer):
    """A news site with `count` generated articles and an RSS feed of all of them.

    Paths in `slow_paths` answer after `delay` seconds (a slow origin, for shutdown tests).
    """

    def __init__(self, count: int, *, delay: float = 0.0) -> None:
        super().__init__({})
        self.articles = generated_articles(count)
        self.routes.update(render_site(self.base_url, self.articles))
        self.slow_paths: set[str] = set()
        self.delay = delay

    @property
    def rss_url(self) -> str:
        return self.url("/rss.xml")

    def article_url(self, article: DemoArticle) -> str:
        return self.url(article.path)

    def lookup(self, target: str) -> Response | None:
        if target in self.slow_paths:
            time.sleep(self.delay)
        return super().lookup(target)


def worker_env(settings: Settings) -> dict[str, str]:
    """The BABELWIRE_* environment that gives a worker process these settings."""
    distributed = settings.distributed
    values = {
        "MODE": "distributed",
        "DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.resolved_database_url,
        "TARGET_LANGUAGES": json.dumps(settings.target_languages),
        "FETCH__ALLOWED_NETWORKS": json.dumps(settings.fetch.allowed_networks),
        "DISTRIBUTED__BROKER_URL": distributed.broker_url,
        "DISTRIBUTED__VISIBILITY_TIMEOUT": str(distributed.visibility_timeout),
        "DISTRIBUTED__TRANSLATE_BATCH": str(distributed.translate_batch),
        "DISTRIBUTED__TICK": str(distributed.tick),
        "DISTRIBUTED__STALE_AFTER": str(distributed.stale_after),
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith("BABELWIRE_")}
    return env | {f"BABELWIRE_{key}": value for key, value in values.items()}


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]


@dataclass
class Cluster:
    """Worker processes on every queue and a scheduler thread, for `settings` (distributed mode)."""

    settings: Settings
    log_dir: Path
    pool: str = "threads"
    concurrency: int = 4
    workers: dict[str, Worker] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _scheduler: threading.Thread | None = None
    starts: dict[str, int] = field(default_factory=dict)

    def start_worker(self, name: str) -> Worker:
        """Start (or restart) the worker `name`: node name `name-<start number>@localhost`."""
        self.starts[name] = self.starts.get(name, 0) + 1
        node = f"{name}-{self.starts[name]}"
        log = (self.log_dir / f"worker-{node}.log").open("wb")
        command = [sys.executable, "-m", "babelwire", "worker", "--pool", self.pool]
        command += ["--concurrency", str(self.concurrency), "--loglevel", "info"]
        command += ["--hostname", f"{node}@localhost"]
        process = subprocess.Popen(
            command, env=worker_env(self.settings), cwd=self.log_dir, stdout=log, stderr=subprocess.STDOUT
        )
        self.workers[name] = Worker(name, process, log)
        return self.workers[name]

    def kill(self, name: str) -> None:
        """kill -9: no shutdown, no acknowledgement, whatever it ran is cut off."""
        worker = self.workers[name]
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait()
        worker.log.close()

    def terminate(self, name: str, timeout: float = 60) -> int:
        """SIGTERM (warm shutdown): the worker finishes what it runs, then exits; its exit code."""
        worker = self.workers[name]
        worker.process.send_signal(signal.SIGTERM)
        code = worker.process.wait(timeout=timeout)
        worker.log.close()
        return code

    def start_scheduler(self) -> None:
        args = (self.settings, self._stop)
        self._scheduler = threading.Thread(target=run_scheduler, args=args, daemon=True)
        self._scheduler.start()

    def logs(self) -> str:
        paths = sorted(self.log_dir.glob("*.log"))
        return "\n".join(f"== {p.name}\n" + p.read_text(errors="replace")[-3000:] for p in paths)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for worker in self.workers.values():
            if worker.process.poll() is None:
                worker.process.kill()
                worker.process.wait()
            worker.log.close()
        if self._scheduler is not None:
            self._scheduler.join(timeout=30)


@dataclass(frozen=True)
class Tally:
    """What the store holds after a run: the exactly-once evidence."""

    items: int
    published: int
    settled: int
    duplicate_items: int  # URLs stored more than once
    duplicate_documents: int  # documents of one URL stored more than once
    duplicate_translations: int  # (document, language) pairs translated more than once
    failed: int
    unplaced: int  # published items without a story
    duplicate_placements: int  # items the stories stage placed more than once
    copies: int  # items settled as a copy of an earlier one

    @property
    def duplicates(self) -> int:
        return (
            self.duplicate_items
            + self.duplicate_documents
            + self.duplicate_translations
            + self.duplicate_placements
        )


def tally(store: Store) -> Tally:
    with store.session() as session:
        statuses = dict(session.execute(select(ItemRow.status, func.count()).group_by(ItemRow.status)).all())
        urls = select(ItemRow.url).group_by(ItemRow.url).having(func.count() > 1).subquery()
        docs = select(DocumentRow.url).group_by(DocumentRow.url).having(func.count() > 1).subquery()
        pairs = (
            select(TranslationRow.document_key, TranslationRow.target_lang)
            .group_by(TranslationRow.document_key, TranslationRow.target_lang)
            .having(func.count() > 1)
            .subquery()
        )

        def count(sub: Any) -> int:
            return int(session.scalar(select(func.count()).select_from(sub)) or 0)

        placements = (
            select(StoryEventRow.item_id)
            .where(StoryEventRow.kind.in_(("placed", "copy")))
            .group_by(StoryEventRow.item_id)
            .having(func.count() > 1)
            .subquery()
        )
        unplaced = select(ItemRow.id).where(
            ItemRow.status == ItemStatus.PUBLISHED, ItemRow.story_id.is_(None)
        )
        settled = sum(statuses.get(s, 0) for s in SETTLED)
        return Tally(
            items=sum(statuses.values()),
            published=statuses.get(ItemStatus.PUBLISHED, 0),
            settled=settled,
            duplicate_items=count(urls),
            duplicate_documents=count(docs),
            duplicate_translations=count(pairs),
            failed=statuses.get(ItemStatus.FAILED, 0),
            unplaced=count(unplaced.subquery()),
            duplicate_placements=count(placements),
            copies=statuses.get(ItemStatus.DUPLICATE, 0),
        )


def wait_until(condition: Callable[[], bool], timeout: float, poll: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll)
    return condition()


def every(seconds: float) -> Iterator[float]:
    """Monotonic ticks `seconds` apart (for kill loops)."""
    next_at = time.monotonic()
    while True:
        next_at += seconds
        time.sleep(max(0.0, next_at - time.monotonic()))
        yield time.monotonic()


def wait_for_workers(settings: Settings, cluster: Cluster, timeout: float = 60) -> None:
    """Until every worker of the cluster answers a broadcast ping (they are consuming)."""
    control = make_app(settings)
    waiting = {f"{name}-{cluster.starts[name]}@localhost" for name in cluster.workers}
    deadline = time.monotonic() + timeout
    try:
        while waiting and time.monotonic() < deadline:
            for reply in control.control.ping(destination=sorted(waiting), timeout=0.5):
                waiting -= set(reply)
    finally:
        control.close()
    if waiting:
        raise RuntimeError(f"workers {sorted(waiting)} did not answer within {timeout} s:\n{cluster.logs()}")
