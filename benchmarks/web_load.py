"""Latency of the site as deployed under fixed request rates: p50/p95/p99, achieved rate and errors per route.

A generated store of published articles (web_store.py: 100,000 by default, 20 sources, en/es/ca, ~600
words each, cached under data/bench/web_load/) is served by `uvicorn --factory
babelwire.web.asgi:app_from_environment --workers N` (deploy/babelwire-web.service's command, without
nginx in front) from SQLite, then from PostgreSQL holding the same rows (web_postgres.py: a cluster kept
beside the SQLite store, loaded once). locust (web_locust.py: FastHttpUser at constant throughput,
rate / 20 users) asks for one route at a time, so each route's numbers are its own, not a mix's; a route
that cannot keep a rate (achieved < 80%, or > 5% errors) is not asked for higher ones. Every
configuration runs twice: rendered-page cache off (BABELWIRE_WEB__CACHE_MB=0, "before") and on (the
default size, "after", each route's most asked paths requested first for up to --prime seconds, as
steady traffic would have filled it). A server still busy after a route (answering requests that
timed out) is restarted before the next one.

Sample URLs: articles (page, bilingual view, API detail) are 80% of the newest 1,000 and 20% of the whole
archive (news traffic is mostly recent stories, and a cache can only help what is asked for again);
home and source pages are page 1 nine times in ten, else a numbered page 2-5 or a cursor page
anywhere in the archive (`?before=`, a deep "older" link); search uses words the generated text has (matching
~25%, 8%, 2%, 1% of articles, and a two-word query); feeds are the three formats in each language; the
sitemap index and its files are two routes (the index is a count, a file 1,000 articles); the API list
is with and without language, source, date, offset, cursor and search filters. The load generator shares the
machine's cores with the server and the database: say so wherever the numbers go.

    .venv/bin/python benchmarks/web_load.py [--quick] [--articles 100000] [--rates 50,200,500]
        [--duration 10] [--backends sqlite,postgresql] [--routes home,article,...] [--cache off,on]
        [--workers 2] [--prime 60] [--rebuild] [--json PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "benchmarks")]

import psutil  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from babelwire.store.keyset import Cursor  # noqa: E402
from babelwire.web.sitemap import items_per_file  # noqa: E402
from web_postgres import loaded_database, postgres_cluster  # noqa: E402
from web_store import DATA, DAYS, ensure_sqlite, original_languages, sqlite_url  # noqa: E402

ROUTES = ("home", "article", "bilingual", "source", "search", "feeds", "sitemap", "sitemap_file",
          "api_list", "api_detail")  # fmt: skip
HOT, HOT_SHARE = 1000, 0.8  # the newest 1,000 articles get 80% of article requests
SAMPLES = 20_000  # sample paths per route, drawn once per run
# req/s of one locust user (a cell has rate / PER_USER users, each waiting for its answer). locust's
# own latency grows with its number of users: against one server answering a cached page in ~1 ms (a
# raw asyncio client: p50 0.8, p99 2 ms at 500 req/s over 125 connections), 125 users at 4 req/s
# measured p50 17 / p99 120 ms and 25 users at 20 req/s p50 5 / p99 11 ms, with locust under 15% of a
# core either way. 20 per user keeps the generator's share small; a route slower than 50 ms cannot
# keep its rate and shows as saturated, which is where the targets below are anyway.
PER_USER = 20
# The team's targets: (routes, rate, p99 ms) with no errors.
TARGETS = (
    (("article", "home"), 500, 50),
    (("feeds", "sitemap", "sitemap_file"), 200, 100),
    (("search",), 50, 200),
)
console = Console(width=140)


def warm_files(paths: list[Path]) -> float:
    """Read the database's files once, so the OS holds them as it would for a server that has been
    answering for a while: a first read of a cold 7 GB file is disk time, not babelwire's. Seconds."""
    started = time.monotonic()
    for path in (path for path in paths if path.is_file()):
        with contextlib.suppress(OSError), path.open("rb") as handle:
            while handle.read(16 << 20):
                pass
    return round(time.monotonic() - started, 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sample_paths(route: str, meta: dict[str, Any], originals: list[str], rng: random.Random) -> list[str]:
    """SAMPLES paths of one route, drawn as the docstring says (`originals`: each item's language)."""
    n, languages, sources = meta["articles"], meta["languages"], meta["sources"]
    terms = meta["search_terms"]
    files = -(-n // items_per_file(languages))
    since = (datetime.fromisoformat(meta["built_at"]) - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def article() -> int:
        return rng.randint(max(1, n - HOT + 1), n) if rng.random() < HOT_SHARE else rng.randint(1, n)

    def bilingual(_: str) -> str:
        item = article()  # its bilingual view is in the languages it was translated into
        lang = rng.choice([code for code in languages if code != originals[item - 1]])
        return f"/{lang}/articles/{item}/bilingual"

    def cursor() -> str:
        """A cursor anywhere in the archive (a deep "older" link: any date and id is a position)."""
        built = datetime.fromisoformat(meta["built_at"])
        at = built - timedelta(days=rng.uniform(0, DAYS))
        return str(Cursor(at, 2**62))

    def page(pages: int) -> str:
        if rng.random() < 0.9:
            return ""
        return f"?page={rng.randint(2, pages)}" if rng.random() < 0.5 else f"?before={cursor()}"

    def api_list(lang: str) -> str:
        term = quote_plus(rng.choice(terms[lang]))
        filters = ("", f"?lang={lang}", f"?lang={lang}&source={rng.choice(sources)}",
                   f"?lang={lang}&limit=50&offset={50 * rng.randrange(10)}",
                   f"?lang={lang}&before={cursor()}", f"?lang={lang}&q={term}",
                   f"?lang={lang}&since={since}")  # fmt: skip
        return "/api/v1/articles" + rng.choice(filters)

    draw: dict[str, Callable[[str], str]] = {
        "home": lambda lang: f"/{lang}/" + page(5),
        "article": lambda lang: f"/{lang}/articles/{article()}",
        "bilingual": bilingual,
        "source": lambda lang: f"/{lang}/sources/{rng.choice(sources)}" + page(3),
        "search": lambda lang: (
            f"/{lang}/search?q={quote_plus(rng.choice(terms[lang]))}"
            + ("" if rng.random() < 0.9 else "&page=2")
        ),
        "feeds": lambda lang: f"/{lang}/feed.{rng.choice(('rss', 'atom', 'json'))}",
        "sitemap": lambda lang: "/sitemap.xml",
        "sitemap_file": lambda lang: f"/sitemaps/{rng.randint(1, files)}.xml",
        "api_list": api_list,
        "api_detail": lambda lang: f"/api/v1/articles/{article()}?lang={lang}",
    }
    return [draw[route](rng.choice(languages)) for _ in range(SAMPLES)]


def get(url: str, timeout: float = 120) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read()


class Server:
    """uvicorn as deploy/babelwire-web.service runs it (nginx left out), on a free port, in its own process
    group so that stopping it stops every worker, even one stuck in a long query."""

    def __init__(self, database_url: str, workers: int, cache: bool, workdir: Path) -> None:
        self.database_url, self.workers, self.cache, self.workdir = database_url, workers, cache, workdir
        self.host, self.pid = "", 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        port = free_port()
        self.host = f"http://127.0.0.1:{port}"
        env = {key: value for key, value in os.environ.items() if not key.startswith("BABELWIRE_")}
        env.update({
            "BABELWIRE_DATABASE_URL": self.database_url, "BABELWIRE_TARGET_LANGUAGES": "en,es,ca",
            "BABELWIRE_BASE_URL": self.host, "BABELWIRE_DATA_DIR": str(self.workdir / "data"),
            "BABELWIRE_CONFIG": str(self.workdir / "babelwire.toml"), "PYTHONPATH": str(ROOT / "src"),
        })  # fmt: skip
        if not self.cache:
            env["BABELWIRE_WEB__CACHE_MB"] = "0"
        self.log = self.workdir / f"uvicorn-{'on' if self.cache else 'off'}.log"
        command = [sys.executable, "-m", "uvicorn", "--factory", "babelwire.web.asgi:app_from_environment",
                   "--host", "127.0.0.1", "--port", str(port), "--workers", str(self.workers),
                   "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1", "--no-server-header",
                   "--log-level", "warning"]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=self.workdir, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self.pid = self.process.pid
        deadline = time.monotonic() + 600  # each worker counts the articles at start-up (metrics)
        while not started(self.host):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"uvicorn did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)  # workers still in a query
        self.process.wait()
        self.process = None


def quietly_get(url: str, timeout: float) -> int:
    try:
        return get(url, timeout=timeout)[0]
    except OSError:
        return 0


def started(host: str) -> bool:
    return quietly_get(f"{host}/healthz", 5) == 200


def idle(pid: int, limit: float = 30) -> bool:
    """Whether uvicorn's processes drop under 5% of a core (two half-seconds running) within `limit` s."""
    deadline, quiet = time.monotonic() + limit, 0
    while time.monotonic() < deadline and quiet < 2:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        quiet = quiet + 1 if cpu_seconds(pid) - before < 0.025 else 0
    return quiet >= 2


def cpu_seconds(pid: int) -> float:
    total = 0.0
    with contextlib.suppress(psutil.Error):
        parent = psutil.Process(pid)
        for process in (parent, *parent.children(recursive=True)):
            with contextlib.suppress(psutil.Error):
                times = process.cpu_times()
                total += times.user + times.system
    return total


def prime(server: Server, paths: list[str], limit: float) -> tuple[int, float]:
    """Fill the cache as steady traffic would: the route's distinct sample paths, most asked first, each
    asked 2 x workers times in a row (a request lands on either process, each has its own cache), 2 x
    workers paths at once, for at most `limit` seconds. Returns (paths primed, seconds)."""
    started_at, deadline = time.monotonic(), time.monotonic() + limit
    ordered = [path for path, _ in Counter(paths).most_common()]

    def fill(path: str) -> bool:
        if time.monotonic() > deadline:
            return False
        for _ in range(2 * server.workers):
            quietly_get(server.host + path, max(1.0, deadline - time.monotonic()))
        return True

    with ThreadPoolExecutor(2 * server.workers) as pool:
        done = sum(pool.map(fill, ordered))
    return done, round(time.monotonic() - started_at, 1)


def check_site(host: str, paths: dict[str, list[str]], meta: dict[str, Any]) -> None:
    """Every route's first sample answers 200 and search finds articles: the store is what it should be.
    A slow or failing answer is only reported (it is what the cells will measure); finding nothing is
    an error (the full-text index would be empty)."""
    for route, samples in paths.items():
        status = quietly_get(host + samples[0], 120)
        if status != 200:
            console.print(f"  [yellow]warning[/yellow]: {route}: {samples[0]} answered {status or 'nothing'}")
    for lang in meta["languages"]:
        term = quote_plus(meta["search_terms"][lang][0])
        try:
            status, body = get(f"{host}/api/v1/articles?lang={lang}&q={term}&limit=1")
        except OSError as error:
            status, body = 0, str(error).encode()
        if status != 200:
            console.print(f"  [yellow]warning[/yellow]: search in {lang} answered {status}: {body[:200]!r}")
        elif not json.loads(body)["total"]:
            raise RuntimeError(f"search for {term!r} in {lang} finds nothing: is the full-text index filled?")


def run_route(server: Server, route: str, paths: list[str], args: argparse.Namespace, label: str
              ) -> list[dict[str, Any]]:  # fmt: skip
    """One locust process (web_locust.py) over one route's rates, slowest first."""
    plan = {
        "host": server.host, "server_pids": [server.pid], "duration": args.duration, "warmup": args.warmup,
        "timeout": args.timeout, "per_user": PER_USER, "skip_saturated": not args.no_skip,
        "paths": {route: paths}, "cells": [(route, rate) for rate in args.rates],
    }  # fmt: skip
    plan_file, out = server.workdir / f"plan-{label}.json", server.workdir / f"results-{label}.json"
    plan_file.write_text(json.dumps(plan))
    command = [sys.executable, str(ROOT / "benchmarks" / "web_locust.py"), str(plan_file), str(out)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("{"):
                cell = json.loads(line)
                console.print(f"  {label} {cell['rate']:>4} req/s: " + summary(cell))
    if process.returncode:
        raise RuntimeError(f"the load generator failed ({process.returncode})")
    results: list[dict[str, Any]] = json.loads(out.read_text())
    return results


def summary(cell: dict[str, Any]) -> str:
    if "skipped" in cell:
        return f"skipped ({cell['skipped']})"
    return (f"p50 {cell['p50']} p95 {cell['p95']} p99 {cell['p99']} ms, {cell['rps']} req/s, "
            f"{cell['errors']} errors {cell['error_kinds'] or ''}, {cell.get('unanswered', 0)} unanswered, "
            f"server CPU {cell['server_cpu']}%, locust CPU {cell['loadgen_cpu']}%")  # fmt: skip


def cell_text(cell: dict[str, Any] | None) -> list[str]:
    if cell is None:
        return ["", "", "", "", ""]
    if "skipped" in cell:
        return ["—", "—", "—", "—", "sat."]
    errors = str(cell["errors"]) if not cell["errors"] else f"[red]{cell['errors']}[/red]"
    latency = ["—" if cell[p] is None else str(cell[p]) for p in ("p50", "p95", "p99")]  # none answered
    return [*latency, f"{cell['rps']:.0f}", errors]


def print_table(
    backend: str, results: list[dict[str, Any]], args: argparse.Namespace, meta: dict[str, Any]
) -> None:
    modes = [mode for mode in args.cache if any(r["cache"] == mode for r in results)]
    table = Table(title=f"{backend}: {meta['articles']:,} articles, {args.workers} uvicorn workers, "
                  f"{args.duration:g} s per cell; ms; cache off = before, on = after")  # fmt: skip
    table.add_column("route")
    table.add_column("req/s", justify="right")
    for mode in modes:
        for name in ("p50", "p95", "p99", "got/s", "err"):
            table.add_column(f"{mode} {name}", justify="right")
    cells = {(r["cache"], r["route"], r["rate"]): r for r in results}
    for route in args.routes:
        for rate in args.rates:
            row = [route, str(rate)]
            for mode in modes:
                row += cell_text(cells.get((mode, route, rate)))
            table.add_row(*row)
        table.add_section()
    console.print(table)
    for mode in modes:
        verdicts = []
        for routes, rate, limit in TARGETS:
            for route in routes:
                cell = cells.get((mode, route, rate))
                if route not in args.routes or rate not in args.rates or cell is None:
                    continue
                ok = "skipped" not in cell and cell["errors"] == 0 and (cell["p99"] or 0) < limit
                verdicts.append(
                    f"{route}@{rate} p99<{limit}: {'[green]ok[/green]' if ok else '[red]no[/red]'}"
                )
        if verdicts:
            console.print(f"  targets, cache {mode}: " + ", ".join(verdicts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rates", default="50,200,500", help="requests per second, comma-separated")
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per cell")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of load before a cell's clock")
    parser.add_argument("--timeout", type=float, default=5, help="seconds before a request counts as failed")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--routes", default=",".join(ROUTES))
    parser.add_argument("--cache", default="off,on", help="off: BABELWIRE_WEB__CACHE_MB=0; on: the default")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument(
        "--prime", type=float, default=60, help="cache on: seconds to fill it per route first"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 10,000 articles, 3 s per cell")
    parser.add_argument("--rebuild", action="store_true", help="generate the store again")
    parser.add_argument("--no-skip", action="store_true", help="measure rates above a saturated one too")
    parser.add_argument(
        "--json", type=Path, help="results file (default: data/bench/web_load/results-*.json)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.duration = min(args.articles, 10_000), min(args.duration, 3)
    args.rates = [int(rate) for rate in args.rates.split(",")]
    args.routes = [route for route in args.routes.split(",") if route]
    args.cache = [mode for mode in args.cache.split(",") if mode]
    backends = [backend for backend in args.backends.split(",") if backend]
    unknown = set(args.routes) - set(ROUTES) or set(args.cache) - {"off", "on"}
    unknown = unknown or set(backends) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown: {', '.join(sorted(unknown))}")
    started = datetime.now(UTC)
    out = args.json or DATA / f"results-{args.articles}-{started:%Y%m%dT%H%M%SZ}.json"
    console.print(
        f"web_load: {len(args.routes)} routes x {len(args.rates)} rates x {len(args.cache)} cache settings "
        f"x {len(backends)} backends, one route at a time; locust runs on the same {os.cpu_count()} CPU "
        "cores as the server and the database, so it competes with them."
    )
    path, meta = ensure_sqlite(args.articles, rebuild=args.rebuild, log=console.print)
    rng = random.Random(1)
    originals = original_languages(path)
    paths = {route: sample_paths(route, meta, originals, rng) for route in args.routes}
    report: dict[str, Any] = {
        "started": started.isoformat(), "cpus": os.cpu_count(), "store": meta,
        "config": {k: str(value) if isinstance(value, Path) else value for k, value in vars(args).items()},
        "notes": "one route at a time; locust (one process) shares the CPUs with uvicorn and the database",
        "results": [],
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="web-load-") as tmp:
        for backend in backends:
            with ExitStack() as stack:
                url = sqlite_url(path)
                if backend == "postgresql":
                    server_url = stack.enter_context(postgres_cluster(args.articles))
                    url, seconds = loaded_database(server_url, path, meta, log=console.print)
                    report["postgresql_load_s"] = round(seconds, 1)
                cluster = DATA / f"postgres-{args.articles}-v{meta['version']}"
                files = [path, Path(f"{path}-wal")] if backend == "sqlite" else sorted(cluster.rglob("*"))
                console.print(f"{backend}: database files read into the OS cache in {warm_files(files)} s")
                for mode in args.cache:
                    server = Server(url, args.workers, mode == "on", Path(tmp))
                    stack.callback(server.stop)
                    server.start()
                    check_site(server.host, paths, meta)
                    console.print(f"{backend}, cache {mode}: {server.host} (uvicorn pid {server.pid})")
                    for route in args.routes:
                        if mode == "on" and args.prime > 0:
                            primed, seconds = prime(server, paths[route], args.prime)
                            console.print(f"  {route}: primed the cache with {primed} paths in {seconds} s")
                        for cell in run_route(server, route, paths[route], args, f"{backend} {mode} {route}"):
                            report["results"].append({"backend": backend, "cache": mode, **cell})
                        out.parent.mkdir(parents=True, exist_ok=True)
                        out.write_text(json.dumps(report, indent=1) + "\n")  # a cut run keeps its routes
                        if not idle(server.pid, limit=10):  # still busy with what timed out: a clean start
                            console.print("  the server is still busy: restarting it")
                            server.stop()
                            server.start()
                    server.stop()
    for backend in backends:
        print_table(backend, [r for r in report["results"] if r["backend"] == backend], args, meta)
    report["seconds"] = round((datetime.now(UTC) - started).total_seconds())
    out.write_text(json.dumps(report, indent=1) + "\n")
    console.print(f"results: {out} ({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
