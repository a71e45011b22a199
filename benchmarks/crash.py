"""Crash safety at size: a source with 200 articles, two worker processes, kill -9 of a random worker
at random moments (at least 5 times, each followed by a restart), then count.

At the end every article must be published exactly once: no lost item, no duplicate row (items
by URL, documents by URL, translations per document and language, story placements per item), every
item settled and every published one in a story. Redis,
PostgreSQL and the worker processes are real (`babelwire worker`); the scheduler runs here.

    .venv/bin/python benchmarks/crash.py [--articles 200] [--kills 6] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from tests.pipeline.distributed.cluster import Cluster, NewsSite, tally, wait_until  # noqa: E402
from tests.postgres import fresh_database, postgres_server  # noqa: E402
from tests.redis_server import redis_server  # noqa: E402

from scale import make_settings, seeded_store  # noqa: E402  (benchmarks/ is on sys.path: the script's folder)

RECOVERY = 15  # visibility_timeout and stale_after, seconds: how soon a killed worker's work comes back


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--kills", type=int, default=6, help="kill -9 this many times (at least 5)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    console = Console(width=120)
    with (
        redis_server() as broker_url,
        postgres_server() as server_url,
        fresh_database(server_url) as database_url,
        NewsSite(args.articles) as site,
        tempfile.TemporaryDirectory() as data,
    ):
        settings = make_settings(database_url, broker_url, Path(data))
        distributed = settings.distributed.model_copy(
            update={"visibility_timeout": RECOVERY, "stale_after": RECOVERY}
        )
        settings = settings.model_copy(update={"distributed": distributed})
        store = seeded_store(settings, site.rss_url)
        kills = 0
        started = time.monotonic()
        with Cluster(settings, Path(data)) as cluster:
            cluster.start_worker("a")
            cluster.start_worker("b")
            cluster.start_scheduler()
            # Kills start once the feed is in: each one then cuts off real article work.
            wait_until(lambda: tally(store).items >= args.articles, 120, poll=0.2)
            while kills < args.kills and tally(store).settled < args.articles:
                time.sleep(rng.uniform(3.0, 9.0))
                victim = rng.choice(["a", "b"])
                cluster.kill(victim)
                kills += 1
                console.print(
                    f"kill -9 worker {victim} at {time.monotonic() - started:.1f} s: {tally(store)}"
                )
                cluster.start_worker(victim)
            finished = wait_until(lambda: tally(store).settled >= args.articles, 1800, poll=0.5)
            wall = time.monotonic() - started
            if not finished:
                console.print(cluster.logs())
        result = tally(store)
        store.close()
    lost = args.articles - result.settled  # settled: published, held, rejected, or a copy under its original
    stopped = result.settled - result.published - result.copies  # held or rejected
    table = Table(title="Crash run: kill -9 of worker processes mid-run")
    columns = (
        "articles",
        "kills",
        "published",
        "held/rejected",
        "copies",
        "duplicates",
        "unplaced",
        "lost",
        "wall s",
    )
    for column in columns:
        table.add_column(column, justify="right")
    values = (args.articles, kills, result.published, stopped, result.copies, result.duplicates)
    table.add_row(*(str(value) for value in (*values, result.unplaced, lost)), f"{wall:.1f}")
    console.print(table)
    ok = (
        lost == 0
        and result.duplicates == 0
        and result.unplaced == 0
        and result.items == args.articles
        and kills >= min(5, args.kills)
    )
    console.print(
        "OK: every article published and placed in a story exactly once" if ok else f"FAILED: {result}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
