"""What `babelwire extract` does: one page to JSON/text/HTML, or a directory to preds.json.

Plain functions returning values, so the typer wrapper (`extract_cli.py`) only parses
options and reports errors, and tests can call these directly.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Literal

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from babelwire.domain import Block, BlockKind, Document, Page
from babelwire.extract.batch import page_files, read_page, run_batch
from babelwire.extract.document import extract_document

OutputFormat = Literal["json", "text", "html"]


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run did, printable as one line."""

    out: Path
    pages: int
    failed: int
    seconds: float
    failures_by_reason: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        line = f"{self.pages} pages in {self.seconds:.1f} s ({rate:.1f} pages/s), {self.failed} failed"
        if self.failures_by_reason:
            reasons = ", ".join(
                f"{reason}: {count}" for reason, count in sorted(self.failures_by_reason.items())
            )
            line += f" ({reasons})"
        return line


def load_page(target: str) -> Page:
    """An http(s) URL is fetched; anything else is a local .html or .html.gz file."""
    if target.lower().startswith(("http://", "https://")):
        # Imported here: the HTTP client is ~a tenth of `extract --batch`'s start-up, unused there.
        from babelwire.fetch.client import fetch_sync
        from babelwire.fetch.pages import page_from_result

        return page_from_result(fetch_sync(target))
    return read_page(Path(target))


def render_text(document: Document) -> str:
    """Title, a blank line, then one block per line (plain text, for reading or piping)."""
    return "\n".join([document.title, "", *(block.text for block in document.blocks)]).strip() + "\n"


def _block_elements(blocks: tuple[Block, ...]) -> list[str]:
    """Blocks as HTML elements; runs of list items share one <ul>, runs of quotes one <blockquote>."""
    out: list[str] = []
    open_group: BlockKind | None = None
    closing = {BlockKind.LIST_ITEM: "</ul>", BlockKind.QUOTE: "</blockquote>"}
    for block in blocks:
        if open_group is not None and block.kind is not open_group:
            out.append(closing[open_group])
            open_group = None
        if block.kind in closing and open_group is None:
            out.append("<ul>" if block.kind is BlockKind.LIST_ITEM else "<blockquote>")
            open_group = block.kind
        # block.html is sanitized inline markup (extract/sanitize.py): safe to insert as is.
        match block.kind:
            case BlockKind.HEADING:
                out.append(f"<h2>{block.html}</h2>")
            case BlockKind.LIST_ITEM:
                out.append(f"<li>{block.html}</li>")
            case BlockKind.QUOTE:
                out.append(f"<p>{block.html}</p>")
            case BlockKind.CAPTION:
                out.append(f"<figure><figcaption>{block.html}</figcaption></figure>")
            case _:
                out.append(f"<p>{block.html}</p>")
    if open_group is not None:
        out.append(closing[open_group])
    return out


def render_html(document: Document) -> str:
    """A small standalone HTML page: escaped metadata around the already-sanitized blocks."""
    meta = [escape(part) for part in (document.byline, document.site_name) if part]
    if document.published:
        when = document.published.isoformat()
        meta.append(f'<time datetime="{escape(when)}">{escape(when)}</time>')
    meta.append(f'<a href="{escape(document.url)}" rel="noopener noreferrer nofollow">original</a>')
    lang = f' lang="{escape(document.language)}"' if document.language else ""
    lines = [
        "<!doctype html>",
        f"<html{lang}>",
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(document.title)}</title>",
        "</head>",
        "<body>",
        "<article>",
        f"<h1>{escape(document.title)}</h1>",
        f"<p>{' · '.join(meta)}</p>",
        *_block_elements(document.blocks),
        "</article>",
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"


def extract_command(target: str, format: OutputFormat = "json") -> str:
    """Extract the article at `target` (URL or file) and render it in `format`.

    Raises FetchError, ExtractionError or OSError; the CLI turns them into one-line errors.
    """
    document = extract_document(load_page(target))
    if format == "text":
        return render_text(document)
    if format == "html":
        return render_html(document)
    return json.dumps(document.to_json(), ensure_ascii=False, indent=2)


def extract_batch_command(directory: Path, out: Path, workers: int = 2) -> BatchSummary:
    """Extract every page in `directory` into `out` (benchmark preds.json), with a progress bar."""
    total = len(page_files(directory))
    progress = Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with progress:
        task = progress.add_task("extract", total=total)
        result = run_batch(
            directory, workers=max(1, workers), progress=lambda _name, _ok: progress.advance(task)
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result.predictions, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    reasons = Counter(error.split(":", 1)[0] for error in result.errors.values())
    return BatchSummary(
        out=out,
        pages=len(result.predictions),
        failed=len(result.errors),
        seconds=result.seconds,
        failures_by_reason=dict(reasons),
    )
