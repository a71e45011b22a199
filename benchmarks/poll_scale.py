"""Polling at scale: one full round over 10,000 feeds served from 127.0.0.1, wall time and peak RSS.

The feeds come from benchmarks/fixtures/feed_farm.py in its own process, spread over many
host names (500 hosts x 20 feeds by default) that a StaticResolver maps to 127.0.0.1, so
the SSRF guard, robots.txt (one per host) and the per-host limits work as they do on the
web; feeds of one host have adjacent ids, as after an OPML import. Rounds:

- prime: every source seen once (3 items each stored, ETags kept);
- then every 20th feed gets a new item, and each measured row polls all 10,000 again:
  * bare httpx: conditional GETs with the stored ETags straight to 127.0.0.1, same
    concurrency, no guard, no robots, no per-host limits, no store (what HTTP alone costs,
    with httpx's own transport: one pool of `concurrency` connections, which httpcore walks
    on every request, and anyio under it; babelwire's transport has neither cost);
  * Fetcher: babelwire's fetcher (guard, robots.txt, per-host limits) and feed parsing, no store;
  * full round: pipeline.polling.Poller (the runner's polling), outcomes stored in SQLite.

Each row runs in a fresh child process; its peak RSS is that process's ru_maxrss, its CPU s
the user + system time of that process ("of which poller") and of the feed parsing processes
it started (wall
time depends on what else the machine runs; CPU time much less). The full round must find
exactly the new items and the store must hold them. Goals: the first (prime) round and the
full round each < 60 s, < 300 MB. --prime-only measures the first round alone; --profile DIR
writes each round's cProfile stats (the event loop's thread) to DIR/<round>.prof.

    .venv/bin/python benchmarks/poll_scale.py [--feeds 10000] [--hosts 500] [--concurrency N]
        [--prime-only] [--profile DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import func, insert, select  # noqa: E402

from babelwire.config import FetchSettings, PollSettings, Settings  # noqa: E402
from babelwire.fetch.fetcher import open_fetcher  # noqa: E402
from babelwire.fetch.guard import StaticResolver  # noqa: E402
from babelwire.pipeline.polling import Poller, interleave_by_host  # noqa: E402
from babelwire.pipeline.report import RunReport  # noqa: E402
from babelwire.sources.poll import poll_source  # noqa: E402
from babelwire.store.db import Store  # noqa: E402
from babelwire.store.models import ItemRow, SourceRow  # noqa: E402
from babelwire.store.sources import due_sources  # noqa: E402

FARM = ROOT / "benchmarks" / "fixtures" / "feed_farm.py"
CHANGED_EVERY = 20  # every 20th feed (5%) has a new item in the measured rounds


def host_name(index: int) -> str:
    return f"h{index}.feeds.test"


def settings_for(args: argparse.Namespace, database_url: str, data_dir: str) -> Settings:
    fetch = FetchSettings(
        allowed_networks=["127.0.0.1/32"], per_host_concurrency=2, per_host_interval=args.interval
    )
    polling = PollSettings(concurrency=args.concurrency)
    return Settings(data_dir=Path(data_dir), database_url=database_url, fetch=fetch, polling=polling)


def seed(store: Store, args: argparse.Namespace, port: int) -> None:
    """The sources, inserted in one statement: feeds of a host get adjacent ids."""
    per_host = max(1, args.feeds // args.hosts)
    rows = [
        {
            "name": f"Feed {n}",
            "url": f"http://{host_name(n // per_host)}:{port}/f/{n}",
            "kind": "feed",
            "language": "es",
            "enabled": True,
            "error_count": 0,
        }
        for n in range(args.feeds)
    ]
    with store.session() as session, session.begin():
        session.execute(insert(SourceRow), rows)


# ---- child processes: one measured row each ---------------------------------------------------


def resolver_for(args: argparse.Namespace) -> StaticResolver:
    return StaticResolver({host_name(h): ["127.0.0.1"] for h in range(args.hosts + 1)})


async def run_full(args: argparse.Namespace, settings: Settings, store: Store) -> dict[str, Any]:
    report = RunReport()
    async with open_fetcher(settings.fetch, resolver=resolver_for(args)) as fetcher:
        started = time.perf_counter()
        await Poller(settings, store, fetcher, report).poll_due(force=True)
        wall = time.perf_counter() - started
    return {
        "wall": wall,
        "polled": report.sources_polled,
        "not_modified": report.sources_not_modified,
        "new_items": report.items_found,
        "failures": len(report.failures),
        "first_failure": report.failures[0].message if report.failures else "",
    }


async def run_fetcher(args: argparse.Namespace, settings: Settings, store: Store) -> dict[str, Any]:
    """The fetcher and the parsers without the store: validators read before the clock starts."""
    with store.session() as session:
        due = due_sources(session, datetime.now(UTC), force=True)
    counts = {"polled": 0, "not_modified": 0, "new_items": 0, "failures": 0}
    work = iter(interleave_by_host(due))  # as the Poller does
    async with open_fetcher(settings.fetch, resolver=resolver_for(args)) as fetcher:

        async def worker() -> None:
            for entry in work:
                try:
                    poll = await poll_source(fetcher, entry.source, etag=entry.etag)
                except Exception:
                    counts["failures"] += 1
                    continue
                counts["polled"] += 1
                counts["not_modified"] += int(poll.not_modified)
                counts["new_items"] += len(poll.items)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        wall = time.perf_counter() - started
    return {"wall": wall, **counts}


async def run_bare(args: argparse.Namespace, settings: Settings, store: Store) -> dict[str, Any]:
    """Plain httpx conditional GETs to 127.0.0.1 with the right Host header, nothing else."""
    with store.session() as session:
        rows = session.execute(select(SourceRow.url, SourceRow.etag)).all()
    targets = []
    for url, etag in rows:
        parsed = httpx.URL(url)
        targets.append((parsed.copy_with(host="127.0.0.1"), f"{parsed.host}:{parsed.port}", etag))
    counts = {"polled": 0, "not_modified": 0, "new_items": 0, "failures": 0}
    work = iter(targets)
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(limits=limits, trust_env=False) as client:

        async def worker() -> None:
            for url, host, etag in work:
                headers = {"Host": host, **({"If-None-Match": etag} if etag else {})}
                try:
                    response = await client.get(url, headers=headers)
                except httpx.HTTPError:
                    counts["failures"] += 1
                    continue
                counts["polled"] += 1
                counts["not_modified"] += int(response.status_code == 304)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        wall = time.perf_counter() - started
    return {"wall": wall, **counts}


def child(args: argparse.Namespace) -> None:
    settings = settings_for(args, args.database_url, args.data_dir)
    store = Store(args.database_url)
    runner = {"full": run_full, "fetcher": run_fetcher, "bare": run_bare}[args.child]
    profiler = cProfile.Profile() if args.profile else None
    try:
        if profiler is not None:
            profiler.enable()
        result = asyncio.run(runner(args, settings, store))
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(Path(args.profile) / f"{args.child}.prof"))
        store.close()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result["rss_mb"] = own.ru_maxrss / 1024
    result["cpu_self"] = own.ru_utime + own.ru_stime
    result["cpu"] = result["cpu_self"] + children.ru_utime + children.ru_stime
    print(json.dumps(result), flush=True)


# ---- the parent: server, store, rows, table ------------------------------------------------------


def run_child(mode: str, args: argparse.Namespace, database_url: str, data_dir: str) -> dict[str, Any]:
    command = [
        sys.executable, __file__, "--child", mode, "--database-url", database_url, "--data-dir", data_dir,
        "--feeds", str(args.feeds), "--hosts", str(args.hosts), "--concurrency", str(args.concurrency),
        "--interval", str(args.interval), *(["--profile", args.profile] if args.profile else []),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"{mode} round failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=PollSettings().concurrency, help="polls at once")
    parser.add_argument("--interval", type=float, default=0.05, help="per_host_interval, seconds")
    parser.add_argument("--prime-only", action="store_true", help="measure the first round only")
    parser.add_argument(
        "--profile", metavar="DIR", help="write each round's cProfile stats to DIR/<round>.prof"
    )
    parser.add_argument("--child", choices=["full", "fetcher", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    console = Console(width=120)
    farm = subprocess.Popen(
        [sys.executable, str(FARM), "--feeds", str(args.feeds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert farm.stdout is not None
        port = int(farm.stdout.readline().split()[1])
        with tempfile.TemporaryDirectory() as data_dir:
            database_url = f"sqlite:///{data_dir}/poll.db"
            store = Store(database_url)
            seed(store, args, port)
            console.print(f"{args.feeds} feeds on {args.hosts} hosts, farm on 127.0.0.1:{port}; priming...")
            rows = [("prime (full round, all new)", run_child("full", args, database_url, data_dir))]
            changed = 0
            if not args.prime_only:
                changed = int(httpx.get(f"http://127.0.0.1:{port}/_advance?every={CHANGED_EVERY}").text)
                for label, mode in (("bare httpx", "bare"), ("Fetcher + parse, no store", "fetcher")):
                    rows.append((label, run_child(mode, args, database_url, data_dir)))
                # The rows above did not store anything: the full round still sees the new items.
                rows.append(("full round (store)", run_child("full", args, database_url, data_dir)))
            with store.session() as session:
                stored = session.scalar(select(func.count()).select_from(ItemRow))
            store.close()
        stats = httpx.get(f"http://127.0.0.1:{port}/_stats").json()
    finally:
        farm.terminate()
        farm.wait(timeout=10)

    table = Table(
        "round", "wall s", "sources/s", "CPU s", "of which poller", "peak RSS MB", "304", "new items",
        "failures",
        title=f"Polling {args.feeds} feeds on {args.hosts} hosts (concurrency {args.concurrency}, "
        f"per-host: 2 at a time, {args.interval:g} s apart)",
    )  # fmt: skip
    for label, row in rows:
        table.add_row(
            label, f"{row['wall']:.1f}", f"{args.feeds / row['wall']:.0f}", f"{row['cpu']:.1f}",
            f"{row['cpu_self']:.1f}", f"{row['rss_mb']:.0f}", str(row["not_modified"]), str(row["new_items"]),
            str(row["failures"]),
        )  # fmt: skip
    console.print(table)
    console.print(f"farm answered: {stats}; feeds changed: {changed}; items stored: {stored}")
    prime, full = rows[0][1], rows[-1][1]
    expected_items = args.feeds * 3 + changed
    expected_new = args.feeds * 3 if args.prime_only else changed
    ok = full["new_items"] == expected_new and stored == expected_items and full["failures"] == 0
    verdict = "[green]OK[/]" if ok else "[red]MISMATCH[/]"
    console.print(
        f"{verdict}: full round found {full['new_items']} new items (expected {expected_new}); "
        f"store holds {stored} (expected {expected_items}); goal < 60 s and < 300 MB: "
        f"first round {prime['wall']:.1f} s, {prime['rss_mb']:.0f} MB; "
        f"full round {full['wall']:.1f} s, {full['rss_mb']:.0f} MB"
    )
    if full.get("first_failure"):
        console.print(f"first failure: {full['first_failure']}")


if __name__ == "__main__":
    main()
