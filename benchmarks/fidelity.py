"""Fidelity: babelwire's translation core and whole wire against the raw engine, same text, same run.

The promise (issue 11): the wire never publishes a number, date or name its engine got right
and babelwire got wrong, and it publishes what is right.

1. Lines. Every installed Apertium pair (`apertium -l`; dialect variants such as
   spa-cat_valencia have no language code of their own and are listed, not measured), in both
   deformatter modes (APERTIUM_TRANSFUSE=no "apertium", =yes "transfuse"; skipped with a note
   when tf-extract is missing). Raw = `apertium -u -f html MODE` with that environment, every
   line in one process call. babelwire = the translation core exactly as `babelwire translate
   --engine apertium --lines` runs it (every line its own block, in-memory translation memory,
   engine_options.apertium.deformatter = MODE). Data: the 500 FLORES dev sentences per direction
   (en/es/ca, with references: chrF and BLEU by sacrebleu) and the 1005 English sources of WMT22
   QE dev news (no es/ca reference: digits and tokens only).
   "digits changed": the multiset of digit runs, separators between digits removed (175.000 ==
   175,000), differs between source and output. "tokens lost": URLs, e-mails, @handles,
   #hashtags and numbers of the source missing from the output. PASS: babelwire's digits changed
   <= raw's and chrF >= raw - 0.2.
2. Wire. FLORES sentences grouped into articles (title, standfirst, three paragraphs) per
   source language, and real extraction-dev pages in es/en (ca when there are some), served as
   local news sites with RSS feeds on 127.0.0.1; a fresh SQLite store, one feed source per site,
   `run --once` with target languages en, es, ca. Per target language: share published, held,
   rejected, failed; holds by the check that stopped them; published sentences that carry an
   error-level or critical finding; sentences repaired and shown in the original when the store
   records them. PASS: >= 90% published in each target language and 0 published sentences with
   an error-level finding.

Deterministic (fixed data slices, no sampling); only 127.0.0.1 traffic. About 3-4 minutes on 2 cores.

    .venv/bin/python benchmarks/fidelity.py [--quick] [--lines N] [--articles N] [--pages N]
        [--skip-lines] [--skip-wire] [--wire-deformatter apertium|transfuse|both] [--examples N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
# Only what this script sets: no babelwire.toml from the working directory.
os.environ["BABELWIRE_CONFIG"] = str(ROOT / "benchmarks" / "fixtures" / "no-such-config.toml")

import fidelity_articles as wire  # noqa: E402
import fidelity_lines as lines  # noqa: E402
from babelwire.translate.engines.apertium import (  # noqa: E402
    DEFORMATTERS,
    ISO3,
    Deformatter,
    installed_modes,
    package_version,
    transfuse_installed,
)

ISO1 = {three: one for one, three in ISO3.items()}
CHRF_TOLERANCE = 0.2
PUBLISH_GOAL = 0.90


@dataclass(frozen=True)
class Job:
    source: str
    target: str
    mode: str
    deformatter: Deformatter
    data: str  # "flores" or "qe-news"


@dataclass
class Result:
    job: Job
    raw: lines.LineScore
    core: lines.LineScore
    raw_outputs: list[str]
    core_outputs: list[str]
    sources: list[str]
    seconds: float


def discover_pairs() -> tuple[list[tuple[str, str, str]], list[str]]:
    """(source, target, mode) for each installed base mode with language codes; the modes left out."""
    pairs, left_out = [], []
    for mode in sorted(installed_modes()):
        parts = mode.split("-")
        if len(parts) == 2 and parts[0] in ISO1 and parts[1] in ISO1:
            pairs.append((ISO1[parts[0]], ISO1[parts[1]], mode))
        else:
            left_out.append(mode)
    return pairs, left_out


def run_job(job: Job, limit: int | None, qe_limit: int | None) -> Result:
    started = time.perf_counter()
    if job.data == "flores":
        sources = lines.flores(job.source, limit)
        references: list[str] | None = lines.flores(job.target, limit)
    else:
        sources, references = lines.qe_english(qe_limit), None
    raw_out = lines.raw_engine(job.deformatter, sources, job.source, job.target)
    core_out = lines.babelwire_core(job.deformatter, sources, job.source, job.target)
    return Result(
        job,
        lines.score(sources, raw_out, references),
        lines.score(sources, core_out, references),
        raw_out,
        core_out,
        sources,
        time.perf_counter() - started,
    )


def verdict(result: Result) -> bool:
    digits_ok = result.core.digits_changed <= result.raw.digits_changed
    chrf_ok = (
        result.core.chrf is None
        or result.raw.chrf is None
        or result.core.chrf >= result.raw.chrf - CHRF_TOLERANCE
    )
    return digits_ok and chrf_ok


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _pass(ok: bool) -> str:
    return "[green]PASS[/]" if ok else "[red]FAIL[/]"


def line_section(console: Console, args: argparse.Namespace) -> bool:
    pairs, left_out = discover_pairs()
    if not pairs:
        console.print("[red]no Apertium pair installed (apertium -l lists none)[/]")
        return False
    modes: list[Deformatter] = list(DEFORMATTERS)
    notes = []
    if not transfuse_installed():
        modes = [m for m in modes if m != "transfuse"]
        notes.append("transfuse mode skipped: tf-extract is missing (apt-get install transfuse)")
    if left_out:
        notes.append(f"not measured (dialect variants, no language code of their own): {', '.join(left_out)}")
    jobs = []
    for source, target, mode in pairs:
        has_flores = source in lines.FLORES_FILES and target in lines.FLORES_FILES
        if not has_flores and source != "en":
            notes.append(f"{mode}: no data for this pair")
            continue
        for deformatter in modes:
            if has_flores:
                jobs.append(Job(source, target, mode, deformatter, "flores"))
            if source == "en":
                jobs.append(Job(source, target, mode, deformatter, "qe-news"))
    with ThreadPoolExecutor(max_workers=2) as pool:  # Apertium runs as child processes
        results = list(pool.map(lambda job: run_job(job, args.lines, args.qe_lines), jobs))

    table = Table(title="Fidelity, line level: raw Apertium vs babelwire's translation core (same lines)")
    columns = ("pair", "deformatter", "data", "lines", "with digits", "digits changed raw", "babelwire",
               "tokens", "lost raw", "babelwire", "chrF raw", "babelwire", "BLEU raw", "babelwire",
               "")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column in ("pair", "deformatter", "data") else "right")
    all_ok = True
    for result in results:
        job, raw, core = result.job, result.raw, result.core
        ok = verdict(result)
        all_ok &= ok
        table.add_row(
            f"{job.source}->{job.target}", job.deformatter, job.data, str(raw.lines), str(raw.with_digits),
            str(raw.digits_changed), str(core.digits_changed), str(raw.tokens), str(raw.tokens_lost),
            str(core.tokens_lost), _f(raw.chrf), _f(core.chrf), _f(raw.bleu), _f(core.bleu), _pass(ok),
        )  # fmt: skip
    console.print(table)
    versions = sorted({package_version(mode) for _s, _t, mode in pairs})
    console.print(f"pairs: {', '.join(versions)}")
    for note in notes:
        console.print(f"note: {note}")
    console.print(
        f"PASS = babelwire digits changed <= raw and chrF >= raw - {CHRF_TOLERANCE} (no chrF on qe-news: no "
        f"es/ca reference). Line level: {_pass(all_ok)}"
    )
    if args.examples:
        console.print(f"\nExamples: lines babelwire changed the digits of and the raw engine did not "
                      f"(up to {args.examples} per row)")  # fmt: skip
        for result in results:
            shown = 0
            for source, raw_out, core_out in zip(result.sources, result.raw_outputs, result.core_outputs,
                                                 strict=True):  # fmt: skip
                digits = lines.digit_runs(source)
                if not digits or digits != lines.digit_runs(raw_out) or digits == lines.digit_runs(core_out):
                    continue
                if shown == 0:
                    job = result.job
                    console.print(f"[bold]{job.source}->{job.target} {job.deformatter} {job.data}[/]")
                console.print(f"  src: {escape(source)}\n  raw: {escape(raw_out)}\n  bw:  {escape(core_out)}")
                shown += 1
                if shown >= args.examples:
                    break
    return all_ok


def wire_section(console: Console, args: argparse.Namespace) -> bool:
    flores = {lang: lines.flores(lang) for lang in wire.LANGUAGES}
    started = time.perf_counter()
    pages = wire.real_pages(args.pages)
    page_langs = {lang: sum(1 for p in pages if p.language == lang) for lang in wire.LANGUAGES}
    deformatters: list[str] = (
        list(DEFORMATTERS) if args.wire_deformatter == "both" else [args.wire_deformatter]
    )
    if "transfuse" in deformatters and not transfuse_installed():
        console.print("note: wire with transfuse skipped: tf-extract is missing")
        deformatters.remove("transfuse")
    all_ok = True
    for deformatter in deformatters:
        with tempfile.TemporaryDirectory(prefix="bw-fidelity-") as tmp, \
                wire.serve_sites(flores, args.articles, pages) as sites:  # fmt: skip
            settings = wire.wire_settings(Path(tmp) / "data", deformatter)
            store, report, errors = wire.run_wire(settings, sites)
            try:
                stats = wire.collect(store, settings, [spec for spec, _server in sites])
            finally:
                store.close()
        all_ok &= wire_table(console, stats, deformatter, report, time.perf_counter() - started,
                             [spec for spec, _server in sites], page_langs)  # fmt: skip
        for message, count in errors.most_common(5):
            console.print(f"[red]babelwire logged an error {count}x during the run:[/] {escape(message)}")
        all_ok &= not errors
        started = time.perf_counter()
    for lang in wire.LANGUAGES:
        files = [page.file.removesuffix(".html") for page in pages if page.language == lang]
        if files:
            console.print(f"extraction-dev pages ({lang}): {', '.join(files)}")
    return all_ok


def wire_table(
    console: Console,
    stats: dict[tuple[str, str], wire.TargetStats],
    deformatter: str,
    report: wire.RunReport,
    seconds: float,
    sites: list[wire.SiteSpec],
    page_langs: dict[str, int],
) -> bool:
    table = Table(
        title=f"Fidelity, whole wire on multi-paragraph articles (apertium deformatter: {deformatter})"
    )
    columns = ("articles from", "target", "articles", "published", "held", "rejected", "failed",
               "sentences", "published sentences w/ error finding", "repaired", "shown in original",
               "holds by check (findings)", "")  # fmt: skip
    for column in columns:
        left = column in ("articles from", "target", "holds by check (findings)")
        table.add_column(column, justify="left" if left else "right")
    totals: dict[str, wire.TargetStats] = {}
    for (origin, target), entry in sorted(stats.items()):
        total = totals.setdefault(target, wire.TargetStats())
        for name in ("articles", "translations", "published", "held", "rejected", "failed", "pending",
                     "sentences", "published_sentences", "published_serious", "repaired",
                     "shown_original"):  # fmt: skip
            setattr(total, name, getattr(total, name) + getattr(entry, name))
        total.holds_by_check.update(entry.holds_by_check)
        total.examples.extend(entry.examples)
        table.add_row(*_wire_row(f"{origin} ({_langs(sites, origin)})", target, entry, verdict_column=False))
    all_ok = True
    for target, total in sorted(totals.items()):
        ok = (
            total.articles > 0
            and total.published / total.articles >= PUBLISH_GOAL
            and total.published_serious == 0
        )
        all_ok &= ok
        table.add_row(
            *_wire_row("[bold]all[/]", f"[bold]{target}[/]", total, verdict_column=True), end_section=False
        )
    console.print(table)
    console.print(
        f"sites: {', '.join(f'{s.name} {s.articles}' for s in sites)}; extraction-dev pages per language: "
        + ", ".join(f"{lang} {n}" for lang, n in page_langs.items())
        + f". Run report: {report.items_found} items found; items published (in at least one language) "
        f"{report.published}, held {report.held}, failed {report.failed}; {seconds:.0f} s."
    )
    for failure in report.failures[:5]:
        console.print(
            f"failure: {failure.stage} {escape(failure.subject)}: {failure.reason}: {escape(failure.message)}"
        )
    for target, total in sorted(totals.items()):
        for example in total.examples[:3]:
            console.print(f"published with an error finding ({target}): {escape(example)}")
    console.print(
        f"PASS = >= {PUBLISH_GOAL:.0%} of articles published in each target language and 0 published "
        f"sentences with an error-level finding. Wire: {_pass(all_ok)}"
    )
    return all_ok


def _langs(sites: list[wire.SiteSpec], origin: str) -> str:
    return "+".join(s.language for s in sites if s.origin == origin)


def _wire_row(origin: str, target: str, entry: wire.TargetStats, *, verdict_column: bool) -> list[str]:
    share = entry.published / entry.articles if entry.articles else 0.0
    holds = ", ".join(f"{name} {count}" for name, count in entry.holds_by_check.most_common()) or "-"
    ok = entry.articles > 0 and share >= PUBLISH_GOAL and entry.published_serious == 0
    return [
        origin, target, str(entry.articles), f"{entry.published} ({share:.0%})", str(entry.held),
        str(entry.rejected), str(entry.failed), str(entry.sentences), str(entry.published_serious),
        str(entry.repaired), str(entry.shown_original),
        holds, _pass(ok) if verdict_column else "",
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="100 lines per direction, fewer articles")
    parser.add_argument(
        "--lines", type=int, default=None, help="FLORES lines per direction (default: all 500)"
    )
    parser.add_argument("--qe-lines", type=int, default=None, help="WMT22 news lines (default: all 1005)")
    parser.add_argument("--articles", type=int, default=15, help="FLORES articles per source language")
    parser.add_argument("--pages", type=int, default=8, help="extraction-dev pages per language")
    parser.add_argument("--wire-deformatter", choices=("apertium", "transfuse", "both"), default="apertium")
    parser.add_argument("--examples", type=int, default=2, help="example lines per row (0: none)")
    parser.add_argument("--skip-lines", action="store_true")
    parser.add_argument("--skip-wire", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.lines = args.lines or 100
        args.qe_lines = args.qe_lines or 200
        args.articles, args.pages = min(args.articles, 4), min(args.pages, 2)
    console = Console(width=200)
    if not lines.available():
        console.print(f"[red]missing data: {lines.FLORES} and {lines.QE_MQM}[/]")
        return 1
    ok = True
    if not args.skip_lines:
        ok &= line_section(console, args)
    if not args.skip_wire:
        console.print()
        ok &= wire_section(console, args)
    # Like the other benchmarks, the tables are the result; a FAIL is reported, not an exit status,
    # so `make bench` goes on to the next benchmark.
    console.print(f"\nfidelity overall: {_pass(ok)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
