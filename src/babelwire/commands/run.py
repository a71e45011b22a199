"""`babelwire run` and `babelwire status`: move the pipeline and show where it stands."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from babelwire.commands.common import console, open_settings, open_store

if TYPE_CHECKING:
    from babelwire.config import Settings
    from babelwire.pipeline.report import RunReport
    from babelwire.store.db import Store


def run_command(
    once: Annotated[bool, typer.Option("--once", help="Process everything due, then exit.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Poll every source now, even if not due.")] = False,
) -> None:
    """Poll sources, then fetch, extract, translate and publish every new article.

    Without --once it keeps running: each source is polled when due (adaptive intervals, backoff
    on errors), and items pushed by WebSub hubs are processed within seconds.
    """
    from babelwire.pipeline.embedded import EmbeddedRunner

    settings = open_settings()
    store = open_store(settings)
    if once:
        report = run_pipeline_once(settings, store, force=force)
        print_report(report, settings.target_languages)
        raise typer.Exit(code=0)
    runner = EmbeddedRunner(settings, store)
    console.print(
        f"babelwire running; polling each source when due (default every {settings.poll_interval} s). "
        "Ctrl-C stops."
    )
    try:
        asyncio.run(runner.run_forever())
    except KeyboardInterrupt:
        console.print("stopped")
    finally:
        runner.close()


def run_pipeline_once(settings: Settings, store: Store, *, force: bool = False) -> RunReport:
    from babelwire.pipeline.embedded import EmbeddedRunner
    from babelwire.pipeline.progress import RichReporter

    with RichReporter() as reporter:
        runner = EmbeddedRunner(settings, store, reporter)
        try:
            return asyncio.run(runner.run_once(force_poll=force))
        finally:
            runner.close()


def print_report(report: RunReport, targets: list[str]) -> None:
    """The round's items, then one line per target language: an item shown in English may be held in
    Catalan, so an item count alone would hide a language whose every translation was stopped."""
    console.print(
        f"polled {report.sources_polled} sources ({report.sources_not_modified} not modified), "
        f"{report.items_found} new items, [{'red' if report.failed else 'green'}]{report.failed} failed[/]"
    )
    if report.excluded:
        console.print(f"  {report.excluded} excluded by filter rules before translation (babelwire filters)")
    if report.duplicates:
        many = f"{report.duplicates} copies of earlier articles"
        copies = "1 copy of an earlier article" if report.duplicates == 1 else many
        console.print(f"  {copies} (listed under them as also published by)")
    for target in targets:
        counts = report.languages.get(target)
        published, held, rejected = (counts.published, counts.held, counts.rejected) if counts else (0, 0, 0)
        console.print(
            f"  {target}: [green]{published} published[/], "
            f"[{'yellow' if held else 'green'}]{held} held by review[/], "
            f"[{'yellow' if rejected else 'green'}]{rejected} rejected[/]"
        )
    if report.failures:
        table = Table("stage", "what", "error", title="Failures (recorded; see `babelwire status`)")
        for failure in report.failures:
            table.add_row(failure.stage, failure.subject, f"{failure.reason}: {failure.message}")
        console.print(table)


def status_command() -> None:
    """Show how many items are at each stage, what each target language published, held and rejected,
    and the latest failures with their reasons."""
    from babelwire.store import filter_rules, queries
    from babelwire.store.counts import language_counts

    settings = open_settings()
    store = open_store(settings)
    with store.session() as session:
        counts = queries.status_counts(session)
        per_language = language_counts(session, settings.target_languages)
        failures = queries.failed_items(session, limit=20)
        sources = queries.list_sources(session)
        excluded = filter_rules.excluded_counts(session)
    table = Table("status", "items")
    for status, count in sorted(counts.items()):
        table.add_row(status, str(count))
    console.print(table)
    language_table = Table("language", "published", "held", "rejected", title="Articles per target language")
    for language, tally in per_language.items():
        language_table.add_row(language, str(tally.published), str(tally.held), str(tally.rejected))
    console.print(language_table)
    if excluded:
        excluded_table = Table("rule", "items", title="Excluded by filter rules (`babelwire filters list`)")
        for rule, count in excluded[:20]:
            excluded_table.add_row(escape(rule), str(count))
        console.print(excluded_table)
    broken = [s for s in sources if s.last_error or not s.enabled]
    if broken:
        source_table = Table("source", "errors", "state", "last error", title="Sources with errors")
        for source in broken:
            state = "enabled" if source.enabled else f"[red]{escape(source.disabled_reason or 'disabled')}[/]"
            source_table.add_row(source.url, str(source.error_count), state, source.last_error or "")
        console.print(source_table)
    if failures:
        failure_table = Table("item", "url", "stage", "error", "attempts", title="Failed items")
        for item in failures:
            failure_table.add_row(
                str(item.id), item.url, item.error_stage or "", f"{item.error_class}: {item.error_message}",
                str(item.attempts),
            )  # fmt: skip
        console.print(failure_table)
