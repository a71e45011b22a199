"""`babelwire stats`: what the wire has done, and what the translation memory saved."""

from __future__ import annotations

from rich.table import Table

from babelwire.commands.common import console, open_settings, open_store


def stats_command() -> None:
    """Items per stage, translations per engine and language, translation-memory hits and misses."""
    from sqlalchemy import func, select

    from babelwire.store import queries
    from babelwire.store.models import SourceRow, TranslationRow
    from babelwire.translate.memory import memory_stats

    store = open_store(open_settings())
    with store.session() as session:
        sources = session.scalar(select(func.count()).select_from(SourceRow)) or 0
        counts = queries.status_counts(session)
        per_engine = session.execute(
            select(
                TranslationRow.engine, TranslationRow.source_lang, TranslationRow.target_lang, func.count()
            )
            .group_by(TranslationRow.engine, TranslationRow.source_lang, TranslationRow.target_lang)
            .order_by(TranslationRow.engine)
        ).all()
    items = Table("status", "items", title=f"Items ({sources} sources)")
    for status, count in sorted(counts.items()):
        items.add_row(status, str(count))
    console.print(items)
    translations = Table("engine", "pair", "articles", title="Translations")
    for engine, source_lang, target_lang, count in per_engine:
        translations.add_row(engine, f"{source_lang}->{target_lang}", str(count))
    console.print(translations)
    memory = Table("engine", "pair", "misses (sent to engine)", "hits (from memory)", "hit rate",
                   title="Translation memory (sentences)")  # fmt: skip
    total_entries = total_hits = 0
    for row in memory_stats(store):
        total_entries += row.entries
        total_hits += row.hits
        memory.add_row(row.engine, f"{row.source_lang}->{row.target_lang}", str(row.entries), str(row.hits),
                       _rate(row.hits, row.entries))  # fmt: skip
    memory.add_row(
        "all", "", str(total_entries), str(total_hits), _rate(total_hits, total_entries), style="bold"
    )
    console.print(memory)


def _rate(hits: int, misses: int) -> str:
    return f"{hits / (hits + misses):.1%}" if hits + misses else "-"
