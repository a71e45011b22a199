"""`babelwire extract`: one page to JSON/text/HTML, or a whole directory to a preds.json."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from babelwire.commands.common import console, fail


def extract_cli(
    target: Annotated[
        str | None, typer.Argument(help="A local .html/.html.gz file or an http(s) URL.", show_default=False)
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="json, text or html.", case_sensitive=False)
    ] = "json",
    batch: Annotated[
        Path | None, typer.Option("--batch", help="Extract every *.html and *.html.gz in this directory.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Where --batch writes its predictions.")] = Path(
        "preds.json"
    ),
    workers: Annotated[int, typer.Option(help="Processes for --batch.")] = 2,
) -> None:
    """Extract the article from a page: title, byline, date, language and body blocks.

    With --batch, writes {"<name>": {"articleBody": "..."}} for every page in a directory
    (the format of the public Zyte article-extraction benchmark).
    """
    from babelwire.commands.extract import extract_batch_command, extract_command
    from babelwire.extract.errors import ExtractionError
    from babelwire.fetch.errors import FetchError

    if batch is not None:
        if not batch.is_dir():
            raise fail(f"{batch} is not a directory", "pass --batch with a folder of .html or .html.gz files")
        summary = extract_batch_command(batch, out, workers)
        console.print(f"wrote {out}: {summary}")
        return
    if target is None:
        raise fail("nothing to extract", "give a file or URL, or --batch DIR")
    fmt = output_format.lower()
    if fmt not in ("json", "text", "html"):
        raise fail(f"unknown format {output_format!r}", "use --format json, text or html")
    chosen: Literal["json", "text", "html"] = fmt  # type: ignore[assignment]
    try:
        typer.echo(extract_command(target, chosen))
    except FetchError as exc:
        raise fail(f"cannot fetch {target}: {exc.message}") from exc
    except ExtractionError as exc:
        raise fail(f"no article found in {target}: {exc}") from exc
    except OSError as exc:
        raise fail(f"cannot read {target}: {exc.strerror or exc}") from exc
