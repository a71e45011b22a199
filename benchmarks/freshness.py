"""Freshness: seconds from a story's appearance in a source's feed to its translated page answering 200.

A Spanish news site on 127.0.0.1 (the demo site's templates, articles generated from the demo
articles' paragraphs, as benchmarks/scale.py uses) publishes a new story every --every seconds
while babelwire runs continuously, as deployed, with its default settings except the ones
printed (loopback allowed, polling.min_interval = 30 s, WebSub on). Three modes, one after the
other, each on a fresh store:

- embedded, polled: `babelwire run` (SQLite), the feed polled on its adaptive schedule;
- distributed, polled: `babelwire worker` process(es) + `babelwire scheduler` on Redis (started
  here on a free port) and PostgreSQL (a throwaway cluster), the same feed;
- WebSub, pushed: `babelwire run` again, the feed naming a WebSub hub (tests/websub_hub.py, a
  real hub on 127.0.0.1) that pushes every new story to the site's /websub/{id} callback.

`babelwire serve` serves the site in every mode (pages, and the WebSub callback). Before the
clock starts, a few older stories are polled and published (the adaptive schedule learns the
publishing rate from them). Then each new story's clock starts when it enters the feed (and, in
the pushed mode, is handed to the hub) and stops when GET /en/articles/{id} first answers 200;
the probe looks every 0.25 s. Stories the review holds never answer 200 and are counted apart.
Goals (issue 13): polled p95 < 60 s, pushed p95 < 10 s. Needs Apertium (spa-eng), redis-server
and PostgreSQL. Default: 10 stories per mode, 5 s apart (about 5 minutes in all).

    .venv/bin/python benchmarks/freshness.py [--stories 10] [--every 5] [--modes embedded,distributed,websub]
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import httpx  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import select  # noqa: E402
from tests.pipeline.distributed.cluster import generated_articles  # noqa: E402
from tests.postgres import fresh_database, postgres_server  # noqa: E402
from tests.redis_server import free_port, redis_server  # noqa: E402
from tests.websub_hub import WebSubHub  # noqa: E402

from babelwire.config import DistributedSettings, FetchSettings, PollSettings, Settings  # noqa: E402
from babelwire.demo.server import SiteServer  # noqa: E402
from babelwire.demo.site import RSS_PATH, DemoArticle, render_site  # noqa: E402
from babelwire.domain import Source  # noqa: E402
from babelwire.pipeline.embedded import WAKE_CHECK_SECONDS  # noqa: E402
from babelwire.store import queries  # noqa: E402
from babelwire.store.db import Store  # noqa: E402
from babelwire.store.models import ItemRow, ItemStatus  # noqa: E402

MIN_INTERVAL = 30  # polling.min_interval for this benchmark (the "30 s minimum poll interval")
HISTORY = 3  # older stories in the feed when the source is added
PROBE_SECONDS = 0.25
GOALS = {"polled": 60.0, "pushed": 10.0}


class WireSite(SiteServer):
    """A news site whose RSS feed gains one story per `publish_next()`; optionally with a WebSub hub."""

    def __init__(self, stories: list[DemoArticle], every: float, hub: str | None = None) -> None:
        super().__init__({})
        self.hub = hub
        now = datetime.now(UTC).replace(microsecond=0)
        self.published = [replace(s, published=now - timedelta(seconds=every * (HISTORY - k)))
                          for k, s in enumerate(stories[:HISTORY])]  # fmt: skip
        self.waiting = list(stories[HISTORY:])
        self._render()

    def _render(self) -> None:
        routes = render_site(self.base_url, self.published)
        feed = routes[RSS_PATH]
        if self.hub:  # WebSub discovery (§4): atom:link rel=hub in the channel
            hub = f'<channel><atom:link rel="hub" href="{self.hub}"/>'  # the feed has rel=self already
            routes[RSS_PATH] = replace(feed, body=feed.body.replace(b"<channel>", hub.encode(), 1))
        for path, response in routes.items():
            self.set_route(path, response)

    @property
    def feed_url(self) -> str:
        return self.url(RSS_PATH)

    def publish_next(self) -> DemoArticle:
        story = replace(self.waiting.pop(0), published=datetime.now(UTC).replace(microsecond=0))
        self.published.append(story)
        self._render()
        return story


@dataclass
class Probe:
    """Appearance times of stories, and when each one's translated page first answered 200."""

    site_url: str
    store: Store
    appeared: dict[str, float] = field(default_factory=dict)  # article URL -> monotonic time
    live: dict[str, float] = field(default_factory=dict)  # article URL -> seconds to a 200
    held: set[str] = field(default_factory=set)
    _stop: threading.Event = field(default_factory=threading.Event)

    def open(self) -> list[str]:
        return [url for url in self.appeared if url not in self.live and url not in self.held]

    def watch(self) -> None:
        with httpx.Client(trust_env=False, timeout=10) as client:
            while not self._stop.wait(PROBE_SECONDS):
                waiting = self.open()
                if not waiting:
                    continue
                with self.store.session() as session:
                    rows = session.execute(
                        select(ItemRow.url, ItemRow.id, ItemRow.status).where(ItemRow.url.in_(waiting))
                    ).all()
                for url, item_id, status in rows:
                    if status == ItemStatus.PUBLISHED:
                        if client.get(f"{self.site_url}/en/articles/{item_id}").status_code == 200:
                            self.live[url] = time.monotonic() - self.appeared[url]
                    elif status in ItemStatus.SETTLED:
                        self.held.add(url)

    @contextmanager
    def running(self) -> Iterator[Probe]:
        thread = threading.Thread(target=self.watch, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join(timeout=15)


def base_env(settings: Settings, web_port: int) -> dict[str, str]:
    """The BABELWIRE_* environment of every babelwire process: defaults but for what is printed."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BABELWIRE_")}
    values = {
        "CONFIG": str(settings.data_dir / "absent.toml"),  # no babelwire.toml from the cwd
        "MODE": settings.mode,
        "DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.resolved_database_url,
        "TARGET_LANGUAGES": "en",
        "BASE_URL": f"http://127.0.0.1:{web_port}",
        "FETCH__ALLOWED_NETWORKS": '["127.0.0.0/8"]',
        "POLLING__MIN_INTERVAL": str(settings.polling.min_interval),
        "WEBSUB__ENABLED": "true",
        "DISTRIBUTED__BROKER_URL": settings.distributed.broker_url,
    }
    return env | {f"BABELWIRE_{key}": value for key, value in values.items()}


class Processes:
    """babelwire commands as subprocesses (logs in the data dir), stopped with SIGTERM, then SIGKILL."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env, self.workdir = env, workdir
        self.running: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, *args: str) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        command = [sys.executable, "-m", "babelwire", *args]
        process = subprocess.Popen(
            command, env=self.env, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT
        )
        self.running.append((name, process))

    def check(self) -> None:
        for name, process in self.running:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            f"== {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.workdir.glob("*.log")
        )

    def stop(self) -> None:
        for _, process in reversed(self.running):
            process.terminate()
        for _, process in self.running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition: Callable[[], bool], timeout: float, what: str, processes: Processes) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check()
        if condition():
            return
        time.sleep(0.25)
    raise RuntimeError(f"timed out after {timeout:g} s waiting for {what}\n{processes.logs()}")


def healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2, trust_env=False).status_code == 200
    except httpx.HTTPError:
        return False


def run_mode(mode: str, args: argparse.Namespace, database_url: str, broker_url: str) -> Probe:
    """One mode, start to finish: site, store, processes, warm-up, stories, drain."""
    pushed = mode == "websub"
    stories = generated_articles(HISTORY + args.stories)
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"freshness-{mode}-")))
        hub = stack.enter_context(WebSubHub(lease_seconds=3600)) if pushed else None
        site = stack.enter_context(WireSite(stories, args.every, hub.url if hub else None))
        settings = make_settings(
            mode, workdir, database_url or f"sqlite:///{workdir / 'wire.db'}", broker_url
        )
        store = Store.from_settings(settings)
        stack.callback(store.close)
        with store.session() as session, session.begin():
            source_id = queries.upsert_source(
                session, Source(name="Noticias", url=site.feed_url, language="es")
            ).id
        web_port = free_port()
        processes = Processes(base_env(settings, web_port), workdir)
        stack.callback(processes.stop)
        processes.start("web", "serve", "--port", str(web_port))
        if mode == "distributed":
            for n in range(args.workers):
                processes.start(
                    f"worker{n}", "worker", "--hostname", f"fresh{n}@localhost", "--loglevel", "warning"
                )
            processes.start("scheduler", "scheduler")
        else:
            processes.start("runner", "run")
        site_url = f"http://127.0.0.1:{web_port}"
        wait_for(lambda: healthy(site_url + "/healthz"), 60, "the web app", processes)
        probe = stack.enter_context(Probe(site_url, store).running())
        old = {site.url(s.path) for s in site.published}
        wait_for(
            lambda: settled(store) >= len(old), args.warmup, "the older stories to be published", processes
        )
        if hub is not None:
            callback = f"{site_url}/websub/{source_id}"
            what = f"the WebSub subscription (hub's verifications: {hub.state.verifications})"
            wait_for(lambda: hub.subscriber(callback, site.feed_url) is not None, 120, what, processes)
        started = time.monotonic()
        for k in range(args.stories):
            time.sleep(max(0.0, started + k * args.every - time.monotonic()))
            story = site.publish_next()
            url = site.url(story.path)
            probe.appeared[url] = time.monotonic()
            if hub is not None:
                hub.publish(site.feed_url, site.routes[RSS_PATH].body, "application/rss+xml")
        deadline = time.monotonic() + args.drain
        while probe.open() and time.monotonic() < deadline:
            processes.check()
            time.sleep(PROBE_SECONDS)
        return probe


def settled(store: Store) -> int:
    with store.session() as session:
        return len(session.scalars(select(ItemRow.id).where(ItemRow.status.in_(ItemStatus.SETTLED))).all())


def make_settings(mode: str, data_dir: Path, database_url: str, broker_url: str) -> Settings:
    """What the processes get (base_env): the defaults, but for these."""
    return Settings(
        mode="distributed" if mode == "distributed" else "embedded",
        data_dir=data_dir,
        database_url=database_url,
        target_languages=["en"],
        fetch=FetchSettings(allowed_networks=["127.0.0.0/8"]),
        polling=PollSettings(min_interval=MIN_INTERVAL),
        distributed=DistributedSettings(broker_url=broker_url),
    )


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 10 values is the 10th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10, help="new stories measured per mode")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between new stories")
    parser.add_argument("--modes", default="embedded,distributed,websub")
    parser.add_argument("--workers", type=int, default=1, help="`babelwire worker` processes (distributed)")
    parser.add_argument("--warmup", type=float, default=240, help="seconds allowed for the older stories")
    parser.add_argument("--drain", type=float, default=150, help="seconds allowed after the last story")
    args = parser.parse_args(argv)
    console = Console(width=120)
    defaults, poll = Settings(), PollSettings(min_interval=MIN_INTERVAL)
    console.print(
        f"Settings: polling.min_interval={poll.min_interval} s (set here), adaptive={poll.adaptive}, "
        f"max_interval={poll.max_interval} s, poll_interval={defaults.poll_interval} s; embedded idle "
        f"check every {WAKE_CHECK_SECONDS:g} s; distributed.tick={defaults.distributed.tick:g} s; "
        f"fetch.per_host_interval={defaults.fetch.per_host_interval:g} s; websub.enabled=true (set here); "
        f"{args.workers} worker process(es), default pool and concurrency; a new story every {args.every:g} s"
    )
    labels = {"embedded": ("embedded (babelwire run)", "polled"),
              "distributed": (f"distributed ({args.workers} worker + scheduler)", "polled"),
              "websub": ("embedded + WebSub hub", "pushed")}  # fmt: skip
    table = Table(
        title=f"Freshness: story in the feed -> translated page answers 200 ({args.stories} per mode)"
    )
    for column in ("mode", "delivery", "live", "held", "p50 s", "p95 s", "max s", "goal"):
        table.add_column(column, justify="left" if column in ("mode", "delivery") else "right")
    failed = False
    with ExitStack() as stack:
        modes = [m.strip() for m in args.modes.split(",") if m.strip()]
        broker_url = stack.enter_context(redis_server()) if "distributed" in modes else ""
        server_url = stack.enter_context(postgres_server()) if "distributed" in modes else ""
        for mode in modes:
            label, delivery = labels[mode]
            console.print(f"{label}: running...")
            with ExitStack() as per_mode:
                database_url = (
                    per_mode.enter_context(fresh_database(server_url)) if mode == "distributed" else ""
                )
                probe = run_mode(mode, args, database_url, broker_url)
            seconds = list(probe.live.values())
            goal = GOALS[delivery]
            ok = (
                bool(seconds)
                and len(seconds) + len(probe.held) == args.stories
                and percentile(seconds, 0.95) < goal
            )
            failed |= not ok
            stats = [f"{percentile(seconds, q):.1f}" for q in (0.5, 0.95, 1.0)] if seconds else ["-"] * 3
            verdict = f"[{'green' if ok else 'red'}]< {goal:g} s {'ok' if ok else 'MISSED'}[/]"
            table.add_row(
                label, delivery, f"{len(seconds)}/{args.stories}", str(len(probe.held)), *stats, verdict
            )
            console.print(f"{label}: {sorted(round(s, 1) for s in seconds)}")
    console.print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
