"""Extract a directory of saved pages: the offline counterpart of the pipeline's extract stage.

Output follows the public Zyte article-extraction benchmark ("preds.json"):
``{"<page id>": {"articleBody": "<text>"}}``, so babelwire can be scored with that
benchmark's own evaluation script. A page that fails gets an empty body and an entry in
`errors`; it never stops the batch (DESIGN.md: failures are recorded, never fatal).
"""

from __future__ import annotations

import gzip
import logging
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from babelwire.domain import BlockKind, Document, Page
from babelwire.extract.document import extract_document
from babelwire.extract.errors import ExtractionError
from babelwire.fetch.encoding import decode_html

LOGGER = logging.getLogger(__name__)

# Saved pages are local and trusted more than the network, but a gzip bomb is still cheap to make.
MAX_PAGE_BYTES = 50 * 1024 * 1024
_SUFFIXES = (".html.gz", ".html")
_CANONICAL = re.compile(
    r"""<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*\bhref\s*=\s*["']?(https?://[^"'\s>]+)""",
    re.IGNORECASE,
)

Progress = Callable[[str, bool], None]


@dataclass(frozen=True)
class BatchResult:
    """Predictions in benchmark format, plus what failed and how long it took."""

    predictions: dict[str, dict[str, str]]
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def page_name(path: Path) -> str:
    """'abc.html.gz' -> 'abc': the page id used in evaluation files."""
    for suffix in _SUFFIXES:
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return path.stem


def page_files(directory: Path) -> list[Path]:
    """Every *.html and *.html.gz file in `directory`, sorted for reproducible output."""
    return sorted(p for p in directory.iterdir() if p.is_file() and p.name.endswith(_SUFFIXES))


def read_page(path: Path) -> Page:
    """A saved page as a Page; its URL is the page's canonical link when it has one.

    The canonical URL matters: links are made absolute against the page URL, and a
    file:// base would turn every relative link into one the sanitizer must drop.
    """
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as packed:
            body = packed.read(MAX_PAGE_BYTES + 1)
    else:
        with path.open("rb") as plain:
            body = plain.read(MAX_PAGE_BYTES + 1)
    if len(body) > MAX_PAGE_BYTES:
        raise ExtractionError("too_large", f"{path.name} is larger than {MAX_PAGE_BYTES} bytes")
    html = decode_html(body, "")
    match = _CANONICAL.search(html[:100_000])
    url = match.group(1) if match else path.resolve().as_uri()
    return Page(url=url, final_url=url, status=200, content_type="text/html", html=html)


def article_body(document: Document) -> str:
    """The benchmark's "articleBody": every block but captions, one per line.

    Captions describe images the body does not carry; the shared dev set (like trafilatura's
    own evaluation) counts them as boilerplate, and they cost 1.4 points of its clean rate.
    """
    return "\n".join(block.text for block in document.blocks if block.kind is not BlockKind.CAPTION)


def _extract_file(path: Path) -> tuple[str, str, str | None]:
    """(page id, body text, error or None); runs in worker processes, so it never raises."""
    name = page_name(path)
    try:
        return name, article_body(extract_document(read_page(path))), None
    except ExtractionError as exc:
        return name, "", f"{exc.reason}: {exc.message}"
    except (OSError, EOFError, ValueError, gzip.BadGzipFile) as exc:
        return name, "", f"unreadable: {type(exc).__name__}: {exc}"


def _results(paths: list[Path], workers: int) -> Iterator[tuple[str, str, str | None]]:
    if workers <= 1 or len(paths) <= 1:
        yield from map(_extract_file, paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_extract_file, path): path for path in paths}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # a worker that died (e.g. killed for memory) fails only its page
                yield page_name(futures[future]), "", f"worker_failed: {type(exc).__name__}: {exc}"


def run_batch(directory: Path, *, workers: int = 1, progress: Progress | None = None) -> BatchResult:
    """Extract every page in `directory` with `workers` processes; see `BatchResult`."""
    started = time.perf_counter()
    paths = page_files(directory)
    predictions: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    for name, text, error in _results(paths, workers):
        predictions[name] = {"articleBody": text}
        if error is not None:
            errors[name] = error
            LOGGER.warning("extract %s failed: %s", name, error)
        if progress is not None:
            progress(name, error is None)
    ordered = {name: predictions[name] for name in sorted(predictions)}
    return BatchResult(predictions=ordered, errors=errors, seconds=time.perf_counter() - started)


def extract_batch(
    directory: Path, *, workers: int = 1, progress: Progress | None = None
) -> dict[str, dict[str, str]]:
    """Benchmark-format predictions for every page in `directory` (failures logged, body "")."""
    return run_batch(directory, workers=workers, progress=progress).predictions
