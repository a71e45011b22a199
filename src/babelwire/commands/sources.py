"""`babelwire sources ...`: add, list, import and export the sources to watch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from babelwire.commands.common import console, fail, open_settings, open_store
from babelwire.domain import Source
from babelwire.sources.errors import SourceError
from babelwire.sources.opml import parse_opml, render_opml
from babelwire.store import queries

app = typer.Typer(help="Manage the news sources babelwire watches.", no_args_is_help=True)


@app.command("add")
def add_source(
    url: Annotated[str, typer.Argument(help="Feed URL (RSS, Atom or JSON Feed).")],
    name: Annotated[str | None, typer.Option(help="Display name; default: the URL's host.")] = None,
    language: Annotated[
        str | None, typer.Option(help="Language of the source's articles, if detection should not decide.")
    ] = None,
) -> None:
    """Add a feed to watch (or update its name and language)."""
    if not url.startswith(("http://", "https://")):
        raise fail(
            f"{url!r} is not an http(s) URL", "give the feed's full URL, e.g. https://example.org/rss.xml"
        )
    store = open_store(open_settings())
    with store.session() as session, session.begin():
        row = queries.upsert_source(session, Source(name=name or _host(url), url=url, language=language))
        console.print(f"source {row.id}: {row.name} <{row.url}>")


@app.command("list")
def list_sources() -> None:
    """Show every source with its state and last error."""
    store = open_store(open_settings())
    table = Table("id", "name", "url", "lang", "enabled", "last polled", "errors", "last error")
    with store.session() as session:
        for row in queries.list_sources(session):
            table.add_row(
                str(row.id), row.name, row.url, row.language or "auto", "yes" if row.enabled else "no",
                row.last_polled_at.strftime("%Y-%m-%d %H:%M") if row.last_polled_at else "never",
                str(row.error_count), row.last_error or "",
            )  # fmt: skip
    console.print(table)


@app.command("import")
def import_opml(path: Annotated[Path, typer.Argument(help="OPML file exported from a feed reader.")]) -> None:
    """Import the feeds of an OPML file."""
    try:
        sources = parse_opml(path.read_bytes())
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from exc
    except SourceError as exc:
        raise fail(f"{path}: {exc.message}", "export the list again from your reader as OPML 2.0") from exc
    store = open_store(open_settings())
    with store.session() as session, session.begin():
        for source in sources:
            queries.upsert_source(session, source)
    console.print(f"imported {len(sources)} sources from {path}")


@app.command("export")
def export_opml(
    path: Annotated[Path | None, typer.Argument(help="Where to write the OPML; default: stdout.")] = None,
) -> None:
    """Export every source as OPML 2.0."""
    store = open_store(open_settings())
    with store.session() as session:
        data = render_opml([queries.source_from_row(row) for row in queries.list_sources(session)])
    if path is None:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        path.write_bytes(data)
        console.print(f"wrote {path}")


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or url
