"""Extraction quality and speed: babelwire's extract stage against plain trafilatura.

Runs both extractors on the same pages of the shared extraction dev set, in the same run,
and prints two tables and the ratios. Each page of the dev set comes with snippets that must
appear in the extracted text ("with") and snippets of boilerplate that must not ("without");
matching ignores differences in whitespace. Scores follow trafilatura's own evaluation: a
found "with" snippet is a true positive, a missing one a false negative, a found "without"
snippet a false positive; precision = TP / (TP + FP), recall = the "with" hit rate,
F1 = their harmonic mean.

    .venv/bin/python benchmarks/extraction.py [--limit N] [--chunk 20] [--no-process]

1. In process: `extract_document(page)` against `trafilatura.extract(html)`, each in its own
   fresh worker process, on the same decoded HTML (decoding is not timed) after one untimed
   warm-up page, so the times compare steady-state extraction, not imports or model loading.
   The workers take the pages in alternating chunks (A B, B A, ...), so a machine that gets
   busier or quieter during the run slows both alike. Peak RSS is the worker's high-water
   mark while extracting (the language model included, the warm-up's transient not).
2. Whole process: `babelwire extract --batch DIR --workers 1` against a plain script calling
   `trafilatura.extract` on each file, on the same .html.gz files: wall time from start to
   exit (imports, decoding, writing the predictions) and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # heavy imports stay out of the worker processes that do not need them
    from rich.table import Table

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "extraction-dev"
PLAIN, BABELWIRE = "trafilatura.extract(html)", "babelwire extract_document"
# What a worker sends back for a page: plain's text, or babelwire's (body_text, articleBody).
Output = str | tuple[str, str] | None

PLAIN_SCRIPT = """
import gzip, json, pathlib, sys
import trafilatura
preds = {}
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.html.gz")):
    text = trafilatura.extract(gzip.decompress(path.read_bytes()))
    preds[path.name[: -len(".html.gz")]] = {"articleBody": text or ""}
pathlib.Path(sys.argv[2]).write_text(json.dumps(preds, ensure_ascii=False, indent=1), encoding="utf-8")
"""


@dataclass(frozen=True)
class Sample:
    url: str
    file: Path
    html: str
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


@dataclass
class Score:
    name: str
    seconds: float | None
    peak_mb: float | None = None
    cpu_seconds: float | None = None
    pages: int = 0
    failures: int = 0
    found: int = 0
    with_total: int = 0
    absent: int = 0
    without_total: int = 0

    def add(self, sample: Sample, text: str | None) -> None:
        self.pages += 1
        if text is None:
            self.failures += 1
        haystack = _squash(text or "")
        self.with_total += len(sample.with_snippets)
        self.found += sum(_squash(s) in haystack for s in sample.with_snippets)
        self.without_total += len(sample.without_snippets)
        self.absent += sum(_squash(s) not in haystack for s in sample.without_snippets)

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def cpu_rate(self) -> float:
        return self.pages / self.cpu_seconds if self.cpu_seconds else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.with_total if self.with_total else 0.0

    @property
    def precision(self) -> float:
        leaked = self.without_total - self.absent
        return self.found / (self.found + leaked) if self.found + leaked else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _squash(text: str) -> str:
    return " ".join(text.split())


def load_samples(data: Path, limit: int | None) -> list[Sample]:
    """The dev set's pages with their snippets; pages are read from data/html/<file>.gz."""
    from babelwire.fetch.encoding import decode_html

    evaldata = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
    samples = []
    for url, entry in list(evaldata.items())[:limit]:
        path = data / "html" / f"{entry['file']}.gz"
        if not path.exists():
            path = data / "html" / entry["file"]
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        with_snippets, without_snippets = tuple(entry.get("with", ())), tuple(entry.get("without", ()))
        samples.append(Sample(url, path, decode_html(raw), with_snippets, without_snippets))
    return samples


def _extractor(name: str) -> Callable[[str, str], Output]:
    """The function a worker times; imported in the worker, so each pays only its own imports."""
    if name == PLAIN:
        import trafilatura

        return lambda _url, html: trafilatura.extract(html)

    from babelwire.domain import Page
    from babelwire.extract import ExtractionError, extract_document
    from babelwire.extract.batch import article_body

    def babelwire(url: str, html: str) -> Output:
        page = Page(url=url, final_url=url, status=200, content_type="text/html", html=html)
        try:
            document = extract_document(page)
        except ExtractionError:
            return None
        return document.body_text, article_body(document)

    return babelwire


def _status_mb(field_name: str) -> float | None:
    """VmHWM / VmRSS of this process in MB (Linux), else None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _worker(name: str, conn: Connection) -> None:
    """Extract the chunks of (url, html) the parent sends; answer (seconds, outputs) for each."""
    logging.disable(logging.CRITICAL)  # trafilatura logs every discarded page
    run = _extractor(name)
    run(*conn.recv())  # warm-up: lazy imports, language model, regex caches
    with suppress(OSError):  # reset the high-water mark: the peak is steady-state extraction's
        Path("/proc/self/clear_refs").write_text("5")
    while (chunk := conn.recv()) is not None:
        outputs, seconds, cpu = [], 0.0, 0.0
        for url, html in chunk:
            started, started_cpu = time.perf_counter(), time.process_time()
            outputs.append(run(url, html))
            seconds += time.perf_counter() - started
            cpu += time.process_time() - started_cpu
        conn.send((seconds, cpu, outputs))
    peak = _status_mb("VmHWM")
    conn.send(peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


@dataclass
class _Run:
    """One worker process and what it has answered so far."""

    name: str
    conn: Connection
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    outputs: list[Output] = field(default_factory=list)


def run_in_process(samples: list[Sample], chunk: int) -> tuple[dict[str, _Run], dict[str, float]]:
    """Both extractors over `samples` in their own workers, in alternating chunks."""
    context = get_context("spawn")
    runs: dict[str, _Run] = {}
    processes: list[BaseProcess] = []
    for name in (PLAIN, BABELWIRE):
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(name, child), daemon=True)
        process.start()
        parent.send((samples[0].url, samples[0].html))
        runs[name] = _Run(name, parent)
        processes.append(process)
    for number, start in enumerate(range(0, len(samples), chunk)):
        pages = [(s.url, s.html) for s in samples[start : start + chunk]]
        order = list(runs.values()) if number % 2 == 0 else list(reversed(runs.values()))
        for run in order:
            run.conn.send(pages)
            seconds, cpu, outputs = run.conn.recv()
            run.seconds += seconds
            run.cpu_seconds += cpu
            run.outputs.extend(outputs)
    peaks = {}
    for run in runs.values():
        run.conn.send(None)
        peaks[run.name] = run.conn.recv()
    for worker in processes:
        worker.join()
    return runs, peaks


def in_process_scores(samples: list[Sample], chunk: int) -> list[Score]:
    runs, peaks = run_in_process(samples, chunk)
    scores = [
        Score(PLAIN, runs[PLAIN].seconds, peaks[PLAIN], runs[PLAIN].cpu_seconds),
        Score(BABELWIRE, runs[BABELWIRE].seconds, peaks[BABELWIRE], runs[BABELWIRE].cpu_seconds),
        Score("babelwire articleBody (no captions)", None),
    ]
    for sample, plain, ours in zip(samples, runs[PLAIN].outputs, runs[BABELWIRE].outputs, strict=True):
        assert not isinstance(plain, tuple) and not isinstance(ours, str)
        scores[0].add(sample, plain)
        scores[1].add(sample, ours[0] if ours else None)
        scores[2].add(sample, ours[1] if ours else None)
    return scores


def _timed_process(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of `command`, which must succeed."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status):
            stderr.seek(0)
            raise SystemExit(
                f"{' '.join(command[:5])} failed:\n{stderr.read().decode(errors='replace')[-2000:]}"
            )
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _commands(pages: Path, out: Path) -> dict[str, list[str]]:
    """The two whole-process runs, each writing benchmark-format predictions to `out`."""
    plain = [sys.executable, "-c", PLAIN_SCRIPT, str(pages), str(out)]
    ours = [sys.executable, "-m", "babelwire", "extract", "--batch", str(pages), "--out", str(out)]
    return {
        "python -c <trafilatura.extract per file>": plain,
        "babelwire extract --batch --workers 1": [*ours, "--workers", "1"],
    }


def whole_process_scores(samples: list[Sample]) -> list[Score]:
    """`babelwire extract --batch` and a plain trafilatura script on one folder of the pages."""
    with tempfile.TemporaryDirectory(prefix="babelwire-extraction-") as folder:
        pages, out = Path(folder) / "pages", Path(folder) / "preds.json"
        pages.mkdir()
        names = {}
        for number, sample in enumerate(samples):
            names[f"{number:05d}"] = sample
            link = pages / f"{number:05d}.html.gz"
            if sample.file.suffix == ".gz":
                link.symlink_to(sample.file.resolve())
            else:
                link.write_bytes(gzip.compress(sample.file.read_bytes()))
        scores = []
        for label, command in _commands(pages, out).items():
            seconds, cpu, peak = _timed_process(command)
            score = Score(label, seconds, peak, cpu)
            preds = json.loads(out.read_text(encoding="utf-8"))
            for name, sample in names.items():
                score.add(sample, preds.get(name, {}).get("articleBody") or None)
            scores.append(score)
    return scores


def render(title: str, scores: list[Score]) -> Table:
    from rich.table import Table

    table = Table(title=title)
    columns = ("extractor", "pages", "seconds", "pages/s", "CPU pages/s", "peak RSS MB", "with found")
    for column in (*columns, "without absent"):
        table.add_column(column, justify="left" if column == "extractor" else "right")
    for column in ("precision", "F1", "failures"):
        table.add_column(column, justify="right")
    for s in scores:
        timing = (f"{s.seconds:.1f}", f"{s.rate:.1f}") if s.seconds else ("—", "—")
        table.add_row(
            s.name,
            str(s.pages),
            *timing,
            f"{s.cpu_rate:.1f}" if s.cpu_seconds else "—",
            f"{s.peak_mb:.0f}" if s.peak_mb else "—",
            f"{s.found}/{s.with_total} ({s.recall:.1%})",
            f"{s.absent}/{s.without_total} ({s.absent / max(s.without_total, 1):.1%})",
            f"{s.precision:.3f}",
            f"{s.f1:.3f}",
            str(s.failures),
        )
    return table


def ratio_line(label: str, plain: Score, ours: Score) -> str:
    line = f"{label}: babelwire at {ours.rate / plain.rate:.0%} of plain trafilatura's pages/s"
    if ours.cpu_seconds and plain.cpu_seconds:
        line += f" ({ours.cpu_rate / plain.cpu_rate:.0%} in CPU time)"
    if ours.peak_mb and plain.peak_mb:
        line += f", peak RSS {ours.peak_mb / plain.peak_mb:.2f}x"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the extraction-dev directory")
    parser.add_argument("--chunk", type=int, default=20, help="pages per alternating chunk")
    parser.add_argument("--no-process", action="store_true", help="skip the whole-process table")
    args = parser.parse_args()
    from rich.console import Console

    console = Console(width=None if sys.stdout.isatty() else 160)
    samples = load_samples(args.data, args.limit)
    if not samples:
        raise SystemExit(f"no pages found in {args.data}")
    with console.status(f"extracting {len(samples)} pages with both extractors..."):
        scores = in_process_scores(samples, max(1, args.chunk))
    title = "Extraction on the shared dev set, in process (snippet matching, whitespace-normalised)"
    console.print(render(title, scores))
    console.print(ratio_line("in process", scores[0], scores[1]))
    if not args.no_process:
        with console.status(f"running both as whole processes on {len(samples)} files..."):
            process_scores = whole_process_scores(samples)
        console.print(render("Whole process, one worker, same pages (.html.gz files)", process_scores))
        console.print(ratio_line("whole process", process_scores[0], process_scores[1]))


if __name__ == "__main__":
    main()
