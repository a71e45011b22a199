"""Extraction quality and speed: babelwire's extract stage against plain trafilatura.

Runs both extractors on the same pages of the shared extraction dev set, in the same run,
and prints one table. Each page of the dev set comes with snippets that must appear in the
extracted text ("with") and snippets of boilerplate that must not ("without"); matching
ignores differences in whitespace. Scores follow trafilatura's own evaluation: a found
"with" snippet is a true positive, a missing one a false negative, a found "without"
snippet a false positive; precision = TP / (TP + FP), recall = the "with" hit rate,
F1 = their harmonic mean.

    .venv/bin/python benchmarks/extraction.py [--limit N] [--data ../shared/data/extraction-dev]

Both extractors get the same decoded HTML (decoding is not timed) and one untimed warm-up
page, so the times compare steady-state extraction, not model loading.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import trafilatura
from rich.console import Console
from rich.table import Table

from babelwire.domain import Document, Page
from babelwire.extract import ExtractionError, extract_document
from babelwire.extract.batch import article_body
from babelwire.fetch.encoding import decode_html

T = TypeVar("T")

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "extraction-dev"


@dataclass(frozen=True)
class Sample:
    url: str
    html: str
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


@dataclass
class Score:
    name: str
    seconds: float | None
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
    evaldata = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
    samples = []
    for url, entry in list(evaldata.items())[:limit]:
        path = data / "html" / f"{entry['file']}.gz"
        if not path.exists():
            path = data / "html" / entry["file"]
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        samples.append(
            Sample(url, decode_html(raw), tuple(entry.get("with", ())), tuple(entry.get("without", ())))
        )
    return samples


def _plain_trafilatura(sample: Sample) -> str | None:
    return trafilatura.extract(sample.html)


def _babelwire_document(sample: Sample) -> Document | None:
    page = Page(url=sample.url, final_url=sample.url, status=200, content_type="text/html", html=sample.html)
    try:
        return extract_document(page)
    except ExtractionError:
        return None


def _article_body(document: Document | None) -> str | None:
    return article_body(document) if document is not None else None


def _timed(samples: list[Sample], run: Callable[[Sample], T]) -> tuple[list[T], float]:
    run(samples[0])  # warm-up: lazy imports, language model, regex caches
    started = time.perf_counter()
    results = [run(sample) for sample in samples]
    return results, time.perf_counter() - started


def evaluate(samples: list[Sample]) -> list[Score]:
    """Run both extractors over `samples` and score them."""
    plain, plain_seconds = _timed(samples, _plain_trafilatura)
    documents, bw_seconds = _timed(samples, _babelwire_document)
    scores = [
        Score("trafilatura.extract(html)", plain_seconds),
        Score("babelwire extract_document", bw_seconds),
        Score("babelwire articleBody (no captions)", None),
    ]
    for sample, text, document in zip(samples, plain, documents, strict=True):
        scores[0].add(sample, text)
        scores[1].add(sample, document.body_text if document else None)
        scores[2].add(sample, _article_body(document))
    return scores


def render(scores: list[Score]) -> Table:
    table = Table(title="Extraction on the shared dev set (snippet matching, whitespace-normalised)")
    for column in ("extractor", "pages", "seconds", "pages/s", "with found", "without absent"):
        table.add_column(column, justify="left" if column == "extractor" else "right")
    for column in ("precision", "F1", "failures"):
        table.add_column(column, justify="right")
    for s in scores:
        timing = (f"{s.seconds:.1f}", f"{s.pages / s.seconds:.1f}") if s.seconds else ("—", "—")
        table.add_row(
            s.name,
            str(s.pages),
            *timing,
            f"{s.found}/{s.with_total} ({s.recall:.1%})",
            f"{s.absent}/{s.without_total} ({s.absent / max(s.without_total, 1):.1%})",
            f"{s.precision:.3f}",
            f"{s.f1:.3f}",
            str(s.failures),
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the extraction-dev directory")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # trafilatura logs every discarded page
    console = Console(width=None if sys.stdout.isatty() else 150)
    samples = load_samples(args.data, args.limit)
    if not samples:
        raise SystemExit(f"no pages found in {args.data}")
    with console.status(f"extracting {len(samples)} pages twice..."):
        scores = evaluate(samples)
    console.print(render(scores))


if __name__ == "__main__":
    main()
