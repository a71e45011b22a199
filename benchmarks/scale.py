"""Throughput of the whole pipeline (poll, fetch, extract, translate with Apertium, review, publish) in
articles per minute: the embedded runner, one worker process and two worker processes, same articles.

The articles (default 80) are Spanish, generated from the demo articles' paragraphs with their own
titles and lead sentences, served with an RSS feed on 127.0.0.1. Every row runs on a fresh
PostgreSQL database, so each starts with an empty translation memory. Distributed rows: worker
processes (`babelwire worker --pool threads`) are started and answer a ping before the clock starts;
the clock stops when every article is settled. Needs redis-server, PostgreSQL and Apertium.

    .venv/bin/python benchmarks/scale.py [--articles 80] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from tests.pipeline.distributed.cluster import (  # noqa: E402
    Cluster,
    NewsSite,
    Tally,
    tally,
    wait_for_workers,
    wait_until,
)
from tests.postgres import fresh_database, postgres_server  # noqa: E402
from tests.redis_server import redis_server  # noqa: E402

from babelwire.config import DistributedSettings, FetchSettings, Settings  # noqa: E402
from babelwire.domain import Source  # noqa: E402
from babelwire.pipeline.embedded import EmbeddedRunner  # noqa: E402
from babelwire.store import queries  # noqa: E402
from babelwire.store.db import Store  # noqa: E402

LOOPBACK = ["127.0.0.0/8"]


def make_settings(database_url: str, broker_url: str, data_dir: Path) -> Settings:
    return Settings(
        mode="distributed",
        data_dir=data_dir,
        database_url=database_url,
        target_languages=["en"],
        fetch=FetchSettings(allowed_networks=LOOPBACK),
        distributed=DistributedSettings(
            broker_url=broker_url, visibility_timeout=120, stale_after=120, tick=0.5
        ),
    )


def seeded_store(settings: Settings, feed_url: str) -> Store:
    store = Store.from_settings(settings)
    with store.session() as session, session.begin():
        queries.upsert_source(session, Source(name="Noticias", url=feed_url, language="es"))
    return store


def run_embedded(settings: Settings, store: Store, articles: int) -> tuple[float, Tally]:
    embedded = settings.model_copy(update={"mode": "embedded"})
    runner = EmbeddedRunner(embedded, store)
    started = time.monotonic()
    try:
        asyncio.run(runner.run_once(force_poll=True))
    finally:
        runner.close()
    return time.monotonic() - started, tally(store)


def run_distributed(
    settings: Settings, store: Store, articles: int, workers: int, concurrency: int
) -> tuple[float, Tally]:
    with (
        tempfile.TemporaryDirectory() as logs,
        Cluster(settings, Path(logs), concurrency=concurrency) as cluster,
    ):
        for index in range(workers):
            cluster.start_worker(f"w{index}")
        wait_for_workers(settings, cluster)
        started = time.monotonic()
        cluster.start_scheduler()
        if not wait_until(lambda: tally(store).settled >= articles, 1800, poll=0.2):
            raise RuntimeError(f"not finished: {tally(store)}\n{cluster.logs()}")
        return time.monotonic() - started, tally(store)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=80)
    parser.add_argument("--concurrency", type=int, default=4, help="threads per worker process")
    args = parser.parse_args(argv)
    console = Console(width=120)
    table = Table(title=f"Pipeline throughput, {args.articles} Spanish articles -> English (Apertium)")
    for column in ("runner", "wall s", "articles/min", "published", "held/rejected", "failed", "duplicates"):
        table.add_column(column, justify="left" if column == "runner" else "right")
    rows: list[tuple[str, Callable[[Settings, Store], tuple[float, Tally]]]] = [
        ("embedded (1 process)", lambda s, st: run_embedded(s, st, args.articles)),
        ("1 worker process", lambda s, st: run_distributed(s, st, args.articles, 1, args.concurrency)),
        ("2 worker processes", lambda s, st: run_distributed(s, st, args.articles, 2, args.concurrency)),
    ]
    with (
        redis_server() as broker_url,
        postgres_server() as server_url,
        NewsSite(args.articles) as site,
        tempfile.TemporaryDirectory() as data,
    ):
        for label, run in rows:
            with fresh_database(server_url) as database_url:
                settings = make_settings(database_url, broker_url, Path(data))
                store = seeded_store(settings, site.rss_url)
                try:
                    wall, result = run(settings, store)
                finally:
                    store.close()
            console.print(f"{label}: {wall:.1f} s, {result}")
            table.add_row(
                label, f"{wall:.1f}", f"{args.articles / wall * 60:.0f}", str(result.published),
                str(result.settled - result.published), str(result.failed), str(result.duplicates),
            )  # fmt: skip
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
