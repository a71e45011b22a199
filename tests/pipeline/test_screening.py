"""Editorial filters in the pipeline: an excluded article is stopped before any engine call.

The first test runs the embedded runner on a real local news site with Apertium behind a
counting engine; the others call the screening step on items in SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from html import escape

import pytest
from sqlalchemy import select

from babelwire.config import Settings
from babelwire.demo.server import DemoSite, Response, SiteServer
from babelwire.demo.site import DemoArticle
from babelwire.domain import Block, BlockKind, Document, FeedItem, Source
from babelwire.pipeline.embedded import EmbeddedRunner
from babelwire.pipeline.report import RunReport
from babelwire.pipeline.screening import ScreeningError, screen_item
from babelwire.store import filter_rules, queries
from babelwire.store.db import Store
from babelwire.store.models import FilterRuleRow, ItemRow, ItemStatus, SourceRow, TranslationRow
from babelwire.stories.filter_config import FilterSettings
from babelwire.stories.filters import parse_rule
from tests.pipeline.counting_engine import counting_engine

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None, reason="apt-get install apertium-eng-spa"
)


def run_once(settings: Settings, store: Store) -> RunReport:
    runner = EmbeddedRunner(settings, store)
    try:
        return asyncio.run(runner.run_once(force_poll=True))
    finally:
        runner.close()


def demo_article(site: DemoSite, slug: str) -> DemoArticle:
    return next(article for article in site.articles if article.slug == slug)


def rss(entries: list[tuple[str, str, list[str]]]) -> Response:
    items = "".join(
        f"<item><title>{escape(title)}</title><link>{url}</link>"
        + "".join(f"<category>{escape(c)}</category>" for c in categories)
        + "</item>"
        for url, title, categories in entries
    )
    body = f'<rss version="2.0"><channel><title>Diario</title>{items}</channel></rss>'
    return Response(content_type="application/rss+xml", body=body.encode())


@needs_apertium
def test_excluded_articles_never_reach_the_engine(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = counting_engine(monkeypatch)
    with DemoSite() as demo, SiteServer() as site:
        chosen = {
            "port": demo_article(demo, "ampliacion-dique-norte"),
            "sport": demo_article(demo, "atletico-villaduna-lider"),
            "fire": demo_article(demo, "incendio-nave-poligono-la-darsena"),
        }
        entries = []
        for key, article in chosen.items():
            site.set_route(f"/{key}.html", Response(body=demo.routes[article.path].body))
            entries.append((site.url(f"/{key}.html"), article.title, [article.section, "Villaduna"]))
        site.set_route("/rss.xml", rss(entries))
        with store.session() as session, session.begin():
            source = queries.upsert_source(session, Source("Diario", site.url("/rss.xml"), language="es"))
            filter_rules.add_rule(session, parse_rule("block title:incendio"), source.id)
        filtered = settings.model_copy(
            update={
                "default_engine": "counting",
                "filters": FilterSettings(rules=["block category:deportes"]),
            }
        )
        report = run_once(filtered, store)
        urls = {key: site.url(f"/{key}.html") for key in chosen}

    assert report.failures == [] and (report.published, report.excluded) == (1, 2)
    with store.session() as session:
        rows = {row.url: row for row in session.scalars(select(ItemRow))}
        translated = set(session.scalars(select(TranslationRow.document_key)))
        sport, fire, port = rows[urls["sport"]], rows[urls["fire"]], rows[urls["port"]]
        assert port.status == ItemStatus.PUBLISHED and port.excluded_by is None
        assert (sport.status, sport.excluded_by) == (ItemStatus.EXCLUDED, "block category:deportes (global)")
        assert (fire.status, fire.excluded_by) == (
            ItemStatus.EXCLUDED,
            "block title:incendio (Diario, rule #1)",
        )
        assert sport.categories == "Deportes\nVilladuna"
        for row in (sport, fire):
            assert row.document_key is not None and row.document_key not in translated
            assert row.queued_at is None and row.error_stage is None
        assert queries.status_counts(session) == {ItemStatus.PUBLISHED: 1, ItemStatus.EXCLUDED: 2}

    sent = engine.sent_text()
    assert engine.calls and "dique" in sent  # the engine did translate the article that was kept
    for word in ("Sotelo", "Montaraz", "evacuar", "trabajadores"):  # words of the two excluded articles only
        assert word not in sent
    calls = len(engine.calls)
    again = run_once(filtered, store)  # nothing is pending: excluded items stay as they are
    assert (again.excluded, again.published, len(engine.calls)) == (0, 0, calls)


def extracted_item(
    store: Store, *, title: str, status: str = ItemStatus.EXTRACTED, language: str = "es"
) -> int:
    document = Document(
        url="https://diari.example/a",
        title=title,
        blocks=(Block(BlockKind.PARAGRAPH, "El port creix.", "El port creix."),),
        language=language,
    )
    with store.session() as session, session.begin():
        source = queries.upsert_source(session, Source("El Diari", "https://diari.example/rss"))
        (item,) = queries.add_items(
            session, source, (FeedItem(document.url, "a", title, categories=("Economia",)),)
        )
        item.document_key = queries.save_document(session, document).key
        item.status, item.queued_at = status, datetime.now(UTC)
        item.error_stage, item.error_class, item.error_message = "extract", "x", "an earlier failure"
        return item.id


def test_a_per_source_config_rule_excludes_and_records_it(settings: Settings, store: Store) -> None:
    item_id = extracted_item(store, title="Horòscop de diumenge")
    rules = FilterSettings(sources={"https://diari.example/rss": ["block title:horòscop"]})
    filtered = settings.model_copy(update={"filters": rules})
    assert screen_item(store, filtered, item_id) is False
    with store.session() as session:
        item = session.get_one(ItemRow, item_id)
        assert (item.status, item.excluded_by) == (ItemStatus.EXCLUDED, "block title:horòscop (El Diari)")
        assert (
            item.queued_at is None and (item.error_stage, item.error_class, item.error_message) == (None,) * 3
        )
    assert screen_item(store, settings, item_id) is False  # excluded stays excluded, rules or not


def test_an_article_no_rule_excludes_goes_on_untouched(settings: Settings, store: Store) -> None:
    item_id = extracted_item(store, title="El port creix")
    rules = FilterSettings(rules=["block title:horòscop", "keep category:economia", "keep language:ca"])
    assert screen_item(store, settings.model_copy(update={"filters": rules}), item_id) is True
    with store.session() as session:
        assert session.get_one(ItemRow, item_id).status == ItemStatus.EXTRACTED


def test_keep_rules_exclude_what_matches_none_of_them(settings: Settings, store: Store) -> None:
    item_id = extracted_item(store, title="El port creix", language="es")
    rules = FilterSettings(rules=["keep language:ca en"])
    assert screen_item(store, settings.model_copy(update={"filters": rules}), item_id) is False
    with store.session() as session:
        assert session.get_one(ItemRow, item_id).excluded_by == "keep language:ca en (global)"


def test_a_settled_item_is_never_excluded_afterwards(settings: Settings, store: Store) -> None:
    item_id = extracted_item(store, title="Horòscop", status=ItemStatus.PUBLISHED)
    rules = FilterSettings(rules=["block title:horòscop"])
    assert screen_item(store, settings.model_copy(update={"filters": rules}), item_id) is True
    with store.session() as session:
        assert session.get_one(ItemRow, item_id).status == ItemStatus.PUBLISHED


def test_an_item_without_document_or_with_a_broken_stored_rule_fails_clearly(
    settings: Settings, store: Store
) -> None:
    item_id = extracted_item(store, title="x")
    with store.session() as session, session.begin():
        session.add(FilterRuleRow(action="block", field="title", pattern="(a+)+", regex=True))
    with pytest.raises(ScreeningError) as caught:
        screen_item(store, settings, item_id)
    assert caught.value.reason == "bad_filter_rule" and "babelwire filters remove" in caught.value.message
    with store.session() as session, session.begin():
        session.get_one(ItemRow, item_id).document_key = None
        session.get_one(SourceRow, session.get_one(ItemRow, item_id).source_id)
    with pytest.raises(ScreeningError) as missing:
        screen_item(store, settings, item_id)
    assert missing.value.reason == "not_extracted"
