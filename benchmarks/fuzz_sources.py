"""Fuzz the run loop's source handling: ≥ 10,000 hostile bodies, zero crashes allowed.

    .venv/bin/python benchmarks/fuzz_sources.py [--cases 10000] [--seed 0]

Each fuzzed body goes through `poll_source` (the function the runner calls for every due
source) for each kind of source — feed, sitemap (child sitemaps named in the body get the
same body back), index page — through `discover` (what `sources add` runs), and through
`extract_document` (the article path). The strategies are tests/sources/fuzz_strategies.py,
the same ones the CI-sized tests use. A clean error is a BabelwireError (what the runner
records on the source or item); anything else is a crash. Prints a table; exits 1 on any crash.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the strategies live beside the tests that also use them

from tests.sources import fuzz_strategies as fz  # noqa: E402
from tests.sources.getters import MemoryGetter  # noqa: E402

from babelwire.domain import Page, Source, SourceKind  # noqa: E402
from babelwire.errors import BabelwireError  # noqa: E402
from babelwire.extract import extract_document  # noqa: E402
from babelwire.fetch.encoding import decode_html  # noqa: E402
from babelwire.sources.poll import discover, poll_source  # noqa: E402

URL = fz.SITE + "/source"


@dataclass
class Tally:
    target: str
    cases: int = 0
    clean_errors: int = 0
    crashes: int = 0
    seconds: float = 0.0
    first_crash: str | None = None
    crash_kinds: set[str] = field(default_factory=set)


def _run(tally: Tally, call: Callable[[], object], body: bytes) -> None:
    started = time.perf_counter()
    tally.cases += 1
    try:
        call()
    except BabelwireError:
        tally.clean_errors += 1
    except Exception as exc:  # a crash: the point of the benchmark is to count these
        tally.crashes += 1
        kind = f"{type(exc).__name__}: {exc}"[:200]
        if kind not in tally.crash_kinds:
            tally.crash_kinds.add(kind)
            if tally.first_crash is None:
                tally.first_crash = f"{kind}\ninput: {body[:300]!r}\n{traceback.format_exc(limit=-5)}"
    tally.seconds += time.perf_counter() - started


def _fuzz(tally: Tally, bodies: st.SearchStrategy[bytes], make: Callable[[bytes, str], Callable[[], object]],
          cases: int, seed: int) -> None:  # fmt: skip
    @settings(
        max_examples=cases,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        derandomize=seed == 0,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=bodies, content_type=fz.CONTENT_TYPES)
    def run(body: bytes, content_type: str) -> None:
        _run(tally, make(body, content_type), body)

    if seed:
        run._hypothesis_internal_use_seed = seed  # type: ignore[attr-defined]
    run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="total cases over all targets")
    parser.add_argument("--seed", type=int, default=0, help="0: hypothesis's derandomized run")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")  # feedparser and hypothesis chatter about odd input
    loop = asyncio.Runner()

    def poll(kind: SourceKind) -> Callable[[bytes, str], Callable[[], object]]:
        def make(body: bytes, content_type: str) -> Callable[[], object]:
            getter = MemoryGetter({}, fallback=(content_type, body))
            return lambda: loop.run(poll_source(getter, Source(name="fuzz", url=URL, kind=kind)))

        return make

    def discovery(body: bytes, content_type: str) -> Callable[[], object]:
        getter = MemoryGetter({URL: (content_type, body)})  # every guessed path is a 404
        return lambda: loop.run(discover(getter, URL))

    def extract(body: bytes, content_type: str) -> Callable[[], object]:
        page = Page(URL, URL, 200, "text/html", decode_html(body, content_type))
        return lambda: extract_document(page)

    any_body = st.one_of(fz.feed_bodies(), fz.sitemap_bodies(), fz.html_bodies())
    targets = [
        ("poll_source: feed", fz.feed_bodies(), poll(SourceKind.FEED), 0.25),
        ("poll_source: sitemap", fz.sitemap_bodies(), poll(SourceKind.SITEMAP), 0.2),
        ("poll_source: index page", fz.html_bodies(), poll(SourceKind.INDEX), 0.2),
        ("discover (sources add)", any_body, discovery, 0.15),
        ("extract_document", fz.html_bodies(), extract, 0.2),
    ]
    console = Console()
    tallies = []
    for name, bodies, make, share in targets:
        tally = Tally(name)
        _fuzz(tally, bodies, make, max(1, round(args.cases * share)), args.seed)
        tallies.append(tally)
        console.print(f"{name}: {tally.cases} cases, {tally.crashes} crashes, {tally.seconds:.1f} s")
    loop.close()

    table = Table("target", "cases", "clean errors", "crashes", "seconds", title="fuzzing the source paths")
    total = Tally(
        "total",
        cases=sum(t.cases for t in tallies),
        clean_errors=sum(t.clean_errors for t in tallies),
        crashes=sum(t.crashes for t in tallies),
        seconds=sum(t.seconds for t in tallies),
    )
    for t in [*tallies, total]:
        table.add_row(t.target, str(t.cases), str(t.clean_errors), str(t.crashes), f"{t.seconds:.1f}")
    console.print(table)
    for t in tallies:
        if t.first_crash:
            console.print(f"[red]{t.target}[/]: {len(t.crash_kinds)} kinds of crash; first:\n{t.first_crash}")
            for kind in sorted(t.crash_kinds):
                console.print(f"  - {kind}")
    return 1 if total.crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
