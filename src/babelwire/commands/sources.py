"""`babelwire sources ...`: add (with discovery), list, enable, disable, import and export sources."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from babelwire.commands.common import console, fail, open_settings, open_store

if TYPE_CHECKING:
    from babelwire.config import Settings
    from babelwire.sources.discover import Discovery
    from babelwire.store.models import SourceRow


app = typer.Typer(help="Manage the news sources babelwire watches.", no_args_is_help=True)


class KindOption(StrEnum):
    AUTO = "auto"
    FEED = "feed"
    SITEMAP = "sitemap"
    INDEX = "index"


@app.command("add")
def add_source(
    url: Annotated[str, typer.Argument(help="A feed, a (news) sitemap, or a site's home or section page.")],
    kind: Annotated[
        KindOption,
        typer.Option(help="auto: look for a feed, then a news sitemap, then use the page as an index."),
    ] = KindOption.AUTO,
    link_pattern: Annotated[
        str | None,
        typer.Option(help="Index pages: a regular expression article URLs match (implies --kind index)."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Display name; default: the feed's title.")] = None,
    language: Annotated[
        str | None, typer.Option(help="Language of the source's articles, if detection should not decide.")
    ] = None,
) -> None:
    """Add a source to watch (or update it). With --kind auto the site is asked what it offers."""
    from babelwire.domain import Source, SourceKind
    from babelwire.sources.errors import SourceError
    from babelwire.sources.index_page import compile_link_pattern
    from babelwire.sources.urls import host_of
    from babelwire.store import queries

    if not url.startswith(("http://", "https://")) or not host_of(url):
        raise fail(f"{url!r} is not an http(s) URL", "give the full URL, e.g. https://example.org/rss.xml")
    if link_pattern is not None:
        if kind not in (KindOption.AUTO, KindOption.INDEX):
            raise fail("--link-pattern is for index pages", f"use --kind index instead of --kind {kind}")
        try:
            compile_link_pattern(link_pattern)
        except SourceError as exc:
            raise fail(exc.message) from exc
        kind = KindOption.INDEX
    settings = open_settings()
    if kind == KindOption.AUTO:
        found = _discover(settings, url, name, language)
        console.print(f"found {found.found} at {found.source.url}")
        source = found.source
    else:
        source = Source(
            name=name or host_of(url),
            url=url,
            kind=SourceKind(kind.value),
            language=language,
            link_pattern=link_pattern,
        )
    store = open_store(settings)
    with store.session() as session, session.begin():
        row = queries.upsert_source(session, source)
        console.print(f"source {row.id}: {row.name} <{row.url}> ({row.kind})")


def _discover(settings: Settings, url: str, name: str | None, language: str | None) -> Discovery:
    from babelwire.fetch.errors import FetchError
    from babelwire.fetch.fetcher import open_fetcher
    from babelwire.sources.discover import discover
    from babelwire.sources.errors import SourceError

    async def run() -> Discovery:
        async with open_fetcher(settings.fetch) as fetcher:
            return await discover(fetcher, url, name=name, language=language)

    try:
        return asyncio.run(run())
    except FetchError as exc:
        raise fail(
            f"cannot read {url}: {exc.message}",
            "check the address in a browser; to add it without asking the site: --kind feed|sitemap|index",
        ) from exc
    except SourceError as exc:
        raise fail(f"{url}: {exc.message}") from exc


@app.command("list")
def list_sources() -> None:
    """Show every source: kind, state (and why it is disabled), errors, next poll and interval."""
    from babelwire.store import queries

    settings = open_settings()
    store = open_store(settings)
    table = Table(
        "id", "name", "kind", "url", "lang", "state", "errors", "last error", "last polled", "next poll",
        "interval",
    )  # fmt: skip
    with store.session() as session:
        for row in queries.list_sources(session):
            state = "enabled" if row.enabled else f"disabled: {row.disabled_reason or 'no reason given'}"
            table.add_row(
                str(row.id), row.name, row.kind, row.url, row.language or "auto", state,
                str(row.error_count), row.last_error or "", _when(row.last_polled_at, "never"),
                _when(row.next_poll_at, "now") if row.enabled else "-",
                _duration(row.poll_interval or settings.poll_interval),
            )  # fmt: skip
    console.print(table)


@app.command("enable")
def enable_source(source_id: Annotated[int, typer.Argument(help="The id `sources list` shows.")]) -> None:
    """Switch a source back on: its error count and disabled reason are reset, it is polled next run."""
    from babelwire.store.models import SourceRow

    store = open_store(open_settings())
    with store.session() as session, session.begin():
        row = _row(session.get(SourceRow, source_id), source_id)
        row.enabled, row.error_count, row.disabled_reason, row.next_poll_at = True, 0, None, None
        console.print(f"source {row.id} ({row.name}) enabled; it is polled on the next run")


@app.command("disable")
def disable_source(
    source_id: Annotated[int, typer.Argument(help="The id `sources list` shows.")],
    reason: Annotated[str | None, typer.Option(help="Why, shown by `sources list`.")] = None,
) -> None:
    """Stop polling a source (its articles stay published)."""
    from babelwire.store.models import SourceRow

    store = open_store(open_settings())
    with store.session() as session, session.begin():
        row = _row(session.get(SourceRow, source_id), source_id)
        row.enabled, row.disabled_reason = False, reason or "disabled by hand"
        console.print(f"source {row.id} ({row.name}) disabled: {row.disabled_reason}")


def _row(row: SourceRow | None, source_id: int) -> SourceRow:
    if row is None:
        raise fail(f"there is no source {source_id}", "see the ids with: babelwire sources list")
    return row


def _when(moment: datetime | None, default: str) -> str:
    if moment is None:
        return default
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _duration(seconds: int) -> str:
    """900 -> "15m", 7200 -> "2h", 90000 -> "1d 1h": intervals as people read them."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return " ".join(parts[:2]) or "0s"


@app.command("import")
def import_opml(path: Annotated[Path, typer.Argument(help="OPML file exported from a feed reader.")]) -> None:
    """Import the feeds of an OPML file."""
    from babelwire.sources.errors import SourceError
    from babelwire.sources.opml import parse_opml
    from babelwire.store import queries

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
    from babelwire.sources.opml import render_opml
    from babelwire.store import queries

    store = open_store(open_settings())
    with store.session() as session:
        data = render_opml([queries.source_from_row(row) for row in queries.list_sources(session)])
    if path is None:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        path.write_bytes(data)
        console.print(f"wrote {path}")
