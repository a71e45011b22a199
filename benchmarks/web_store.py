"""A store of N published articles for benchmarks/web_load.py, with exactly the rows the pipeline writes.

Why generated: translating 100,000 articles would take days, and the web's cost depends on row counts
and sizes, not on what the words mean. Each article has a document (blocks as store.queries.save_document
writes them) and one translation per site language (Translation.blocks_json: every block with its
sentence pairs; "original" with one pair per block where source and site language are the same, as
pipeline/stages.translate_article does), verdicts "publish", items "published" with site_published_at.
The text comes from made-up vocabularies (function words, then syllable words, Zipf-distributed), in
which a sentence has the same concepts in every language: what a search for a word finds is known.
Pages (the fetched HTML) are left out: no web route reads them. Listings are written per batch by
the store's own rule (store/listings.refresh_listings), as the pipeline's flushes write them.

Stores are cached under data/bench/web_load/ by size and VERSION (`rebuild=True` forces a new one).
Rows are made by worker processes while this one writes them with SQLAlchemy Core executemany, a
thousand articles a transaction; migration 0005's full-text triggers are off during the load and each
batch is indexed by one INSERT ... SELECT instead (bulk_full_text). web_postgres.py copies the same
rows into PostgreSQL.
"""

from __future__ import annotations

import bisect
import importlib.util
import itertools
import json
import multiprocessing
import os
import random
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "benchmarks")]

from sqlalchemy import Connection, Engine, event, insert  # noqa: E402

from babelwire.domain import (  # noqa: E402
    BlockKind,
    Document,
    SentencePair,
    TranslatedBlock,
    Translation,
    content_hash,
)
from babelwire.store.db import MIGRATIONS, Store, make_engine  # noqa: E402
from babelwire.store.listings import refresh_listings  # noqa: E402
from babelwire.store.models import Base, ItemStatus, ReviewStatus  # noqa: E402
from web_text import HEADINGS, LANGUAGES, POOL, TITLES, VERSION, make_text, search_terms  # noqa: E402

DATA = ROOT / "data" / "bench" / "web_load"
SOURCES = 20
TABLES = ("sources", "documents", "items", "translations", "listings")  # in foreign-key order
BATCH = 1000  # items per transaction (their documents and translations too)
GENERATORS = max(1, min(3, (os.cpu_count() or 2) - 1))  # processes making rows while one writes them
DAYS = 180  # publication dates spread over the last half year
PARAGRAPH, HEADING = str(BlockKind.PARAGRAPH), str(BlockKind.HEADING)
ENGINES = {("es", "ca"): "apertium", ("ca", "es"): "apertium"}  # other pairs: the neural engine
MODELS = {"apertium": "apertium 3.9.4 apertium-{0}-{1} 2.2.0", "ctranslate2": "opus-mt-{0}-{1} ct2 int8"}


def store_path(articles: int) -> Path:
    return DATA / f"store-{articles}-v{VERSION}.db"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_sources(now: datetime) -> list[dict[str, Any]]:
    """20 sources: es, ca and en; mostly feeds, two sitemaps, two index pages, one excerpt-only."""
    rows = []
    for number in range(1, SOURCES + 1):
        language = ("es", "ca", "en")[number % 3]
        kind = "sitemap" if number in (7, 14) else "index" if number in (9, 18) else "feed"
        site = f"https://news{number}.example.{'com' if language == 'en' else language}"
        url = {"feed": f"{site}/rss.xml", "sitemap": f"{site}/news-sitemap.xml", "index": f"{site}/latest"}
        rows.append({
            "id": number, "name": f"Diario {number}" if language != "en" else f"The Daily {number}",
            "url": url[kind], "kind": kind, "language": language, "site_url": site, "enabled": True,
            "excerpt_only": number == 5, "etag": f'"{number}-abc"' if kind == "feed" else None,
            "last_modified": None, "last_polled_at": now, "next_poll_at": now + timedelta(minutes=15),
            "last_error": None, "error_count": 0, "created_at": now - timedelta(days=DAYS + 1),
            "disabled_reason": None, "poll_interval": 900,
            "link_pattern": r"/\d{4}/\d{2}/" if kind == "index" else None,
            "websub_hub": None, "websub_topic": None, "websub_secret": None, "websub_state": None,
            "websub_expires_at": None,
        })  # fmt: skip
    return rows


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


Rows = list[dict[str, Any]]
Batch = tuple[Rows, Rows, Rows]


class Generator:
    """Rows of items 1..N (ids in publication order, as the pipeline finds them), batch by batch."""

    def __init__(self, articles: int, now: datetime) -> None:
        self.articles, self.now, self.text = articles, now, make_text()
        setup = random.Random(f"sources-{VERSION}")
        self.sources = make_sources(now)
        weights = [setup.uniform(0.3, 3.0) for _ in self.sources]  # some sources are busier
        self.source_weights = list(itertools.accumulate(weights))
        self.start = now - timedelta(days=DAYS)
        self.rng = setup

    def batch(self, first: int) -> Batch:
        """(documents, items, translations) of items first..first + BATCH - 1, the same in any process."""
        self.rng = random.Random(f"articles-{VERSION}-{first}")
        span = DAYS * 86400 / self.articles
        documents, items, translations = [], [], []
        for item_id in range(first, min(first + BATCH, self.articles + 1)):
            published = self.start + timedelta(seconds=(item_id - 1 + self.rng.random()) * span)
            document, item, rows = self.article(item_id, published)
            documents.append(document)
            items.append(item)
            translations.extend(rows)
        return documents, items, translations

    def article(
        self, item_id: int, published: datetime
    ) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
        rng, text = self.rng, self.text
        source = self.sources[bisect.bisect(self.source_weights, rng.random() * self.source_weights[-1])]
        lang = source["language"]
        title_id = rng.randrange(TITLES)
        count = rng.randint(8, 12)
        heading_at = rng.randint(3, count - 2) if rng.random() < 0.5 else -1
        # (kind, sentence ids): a heading is one heading-pool entry, a paragraph 3-5 pool sentences
        plan = [
            (HEADING, [rng.randrange(HEADINGS)])
            if index == heading_at
            else (PARAGRAPH, [rng.randrange(POOL) for _ in range(rng.randint(3, 5))])
            for index in range(count)
        ]

        # Block HTML as JSON string contents, joined from the pools' encoded sentences (JSON escapes
        # character by character, so this is json.dumps of the joined text; check_rows proves it).
        encoded = [self.pieces(lang, kind, ids) for kind, ids in plan]
        source_json = [" ".join(pieces) for pieces in encoded]
        title = text.titles[lang][title_id]
        raw = (" ".join(text.sentences[lang][i] for i in ids) if kind == PARAGRAPH else
               text.headings[lang][ids[0]] for kind, ids in plan)  # fmt: skip
        # Two equal articles (40 sentences of a 24,000 pool alike) would fail the build on the primary key.
        key = content_hash(title, *(f"{kind}:{html}" for (kind, _), html in zip(plan, raw, strict=True)))
        found = published + timedelta(seconds=rng.randint(60, 900))
        site_published = found + timedelta(seconds=rng.randint(60, 300))
        slug = "-".join(title.lower().split()[:6])
        url = f"{source['site_url']}/{published:%Y/%m/%d}/{slug}-{item_id}"
        author = f"Autor {rng.randrange(200)}" if rng.random() < 0.8 else None
        summary = text.plain[lang][plan[0][1][0]]
        image = f"{source['site_url']}/img/{item_id}.jpg" if rng.random() < 0.6 else None
        document = {
            "key": key, "url": url, "title": title, "language": lang, "byline": author,
            "published_at": published, "lead_image": image, "site_name": source["name"],
            "description": summary,
            "blocks_json": "[" + ", ".join(
                f'{{"kind": "{kind}", "html": "{html}", "text": "{plain}"}}'
                for (kind, ids), html, plain in zip(plan, source_json, self.plain(lang, plan), strict=True)
            ) + "]",
            "created_at": found,
        }  # fmt: skip
        item = {
            "id": item_id, "source_id": source["id"], "url": url, "guid": url, "title": title,
            "author": author, "summary": summary, "published_at": published,
            "status": ItemStatus.PUBLISHED, "page_key": None, "document_key": key, "error_stage": None,
            "error_class": None, "error_message": None, "attempts": 0, "created_at": found,
            "updated_at": site_published, "site_published_at": site_published, "queued_at": None,
        }  # fmt: skip
        translations = []
        for target in LANGUAGES:
            if target == lang:
                engine, model = "original", "-"
                blocks = [
                    f'{{"kind": "{kind}", "html": "{html}", "source_html": "{html}", '
                    f'"sentences": [["{html}", "{html}"]]}}'
                    for (kind, _), html in zip(plan, source_json, strict=True)
                ]
                translated_title, score, findings = title, 1.0, "[]"
            else:
                engine = ENGINES.get((lang, target), "ctranslate2")
                model = MODELS[engine].format(lang, target)
                blocks = []
                for (kind, ids), pieces, html in zip(plan, encoded, source_json, strict=True):
                    targets = self.pieces(target, kind, ids)
                    pairs = ", ".join(f'["{s}", "{t}"]' for s, t in zip(pieces, targets, strict=True))
                    blocks.append(f'{{"kind": "{kind}", "html": "{" ".join(targets)}", '
                                  f'"source_html": "{html}", "sentences": [{pairs}]}}')  # fmt: skip
                translated_title = text.titles[target][title_id]
                score = round(rng.uniform(0.82, 1.0), 3)
                findings = "[]" if rng.random() < 0.8 else _json([{
                    "segment": rng.randint(1, 30), "check": "length", "severity": "info",
                    "message": "the translation is 1.6 times as long as the source sentence",
                }])  # fmt: skip
            translations.append({
                "key": content_hash(key, target, engine, model), "document_key": key, "source_lang": lang,
                "target_lang": target, "engine": engine, "model_version": model, "title": translated_title,
                "blocks_json": "[" + ", ".join(blocks) + "]", "pivot_lang": None,
                "review_status": ReviewStatus.PUBLISH, "review_score": score, "findings_json": findings,
                "repairs_json": None,
                "reviewed_at": site_published - timedelta(seconds=5),
                "created_at": site_published - timedelta(seconds=30),
            })  # fmt: skip
        return document, item, translations

    def pieces(self, lang: str, kind: str, ids: list[int]) -> list[str]:
        """A block's sentences (a heading: its one text), JSON-encoded, in `lang`."""
        if kind == PARAGRAPH:
            return [self.text.encoded[lang][i] for i in ids]
        return [self.text.encoded_headings[lang][ids[0]]]

    def plain(self, lang: str, plan: list[tuple[str, list[int]]]) -> list[str]:
        return [
            " ".join(self.text.encoded_plain[lang][i] for i in ids)
            if kind == PARAGRAPH
            else self.text.encoded_headings[lang][ids[0]]
            for kind, ids in plan
        ]


def check_rows(document: dict[str, Any], translations: list[dict[str, Any]]) -> None:
    """The generated JSON and keys equal what the domain objects make of the same article."""
    blocks = json.loads(document["blocks_json"])
    domain = Document.from_json({**document, "published": None, "blocks": blocks})
    assert domain.key == document["key"], "document key differs from Document.key"
    assert _json(domain.to_json()["blocks"]) == document["blocks_json"], "document blocks_json differs"
    for row in translations:
        translation = Translation(
            document_key=row["document_key"], source_lang=row["source_lang"], target_lang=row["target_lang"],
            engine=row["engine"], model_version=row["model_version"], title=row["title"],
            blocks=tuple(TranslatedBlock.from_json(b) for b in json.loads(row["blocks_json"])),
        )  # fmt: skip
        assert translation.key == row["key"], "translation key differs from Translation.key"
        assert translation.blocks_json() == row["blocks_json"], "translation blocks_json differs"
        pairs = [pair for block in translation.blocks for pair in block.sentences]
        assert all(isinstance(pair, SentencePair) and pair.target_html for pair in pairs)


@contextmanager
def bulk_full_text(engine: Engine) -> Iterator[Callable[[Connection], None]]:
    """Migration 0005's full-text upkeep off for a bulk load; yields `index(conn)`, which indexes the
    translations written since its last call, and the upkeep is made again after the load.

    Its triggers index row by row, several times slower than one INSERT ... SELECT a batch. They are
    kept as the migration made them (their SQL, from the schema), dropped for the load and made again;
    `index` fills the map and FTS5 table by the migration's own body expression in row order, which is
    what its insert trigger does. PostgreSQL's GIN expression index is dropped and re-created from its
    definition (indexing every row once); `index` does nothing there."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        if sqlite:
            triggers = conn.exec_driver_sql(_TRIGGERS).all()
            saved = [sql for _, sql in triggers]
            for name, _ in triggers:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            saved = list(conn.exec_driver_sql(_PG_INDEX).scalars())
            conn.exec_driver_sql("DROP INDEX ix_translations_fts")
    assert saved, "no full-text objects found: did migration 0005 change?"
    body = _migration_0005()._SQLITE_BODY.format(row="t")
    last = 0

    def index(conn: Connection) -> None:
        nonlocal last
        if not sqlite:
            return
        top = conn.exec_driver_sql("SELECT max(rowid) FROM translations").scalar() or 0
        conn.exec_driver_sql(
            f"INSERT INTO translations_fts_map (key) SELECT key FROM translations WHERE rowid > {last} "
            "ORDER BY rowid"
        )
        conn.exec_driver_sql(
            f"INSERT INTO translations_fts (rowid, title, body) SELECT m.id, t.title, {body} "
            f"FROM translations AS t JOIN translations_fts_map AS m ON m.key = t.key WHERE t.rowid > {last}"
        )
        last = top

    yield index
    with engine.begin() as conn:
        if not sqlite:
            conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '1GB'")
        for statement in saved:
            conn.exec_driver_sql(statement)


_TRIGGERS = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'translations' ORDER BY name"
)
_PG_INDEX = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_translations_fts'"


def _migration_0005() -> Any:
    path = next((MIGRATIONS / "versions").glob("0005_*.py"))
    spec = importlib.util.spec_from_file_location("babelwire_migration_0005", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_generator: Generator | None = None  # in each generating process


def _start_generator(articles: int, now: datetime) -> None:
    global _generator
    _generator = Generator(articles, now)


def _make_batch(first: int) -> Batch:
    assert _generator is not None
    return _generator.batch(first)


def batches(generator: Generator) -> Iterator[Batch]:
    """The batches in order, made by worker processes while this one writes (a few ahead, not all)."""
    firsts = iter(range(1, generator.articles + 1, BATCH))
    context = multiprocessing.get_context("fork")
    args = (generator.articles, generator.now)
    with ProcessPoolExecutor(GENERATORS, context, initializer=_start_generator, initargs=args) as pool:
        pending = deque(pool.submit(_make_batch, first) for first in itertools.islice(firsts, 2 * GENERATORS))
        while pending:
            batch = pending.popleft().result()
            pending.extend(pool.submit(_make_batch, first) for first in itertools.islice(firsts, 1))
            yield batch


def _no_sync(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA synchronous=OFF")
    dbapi_connection.execute("PRAGMA cache_size=-262144")  # 256 MiB: FTS5 merges reread their segments


def build_sqlite(articles: int, path: Path, log: Any = print) -> dict[str, Any]:
    """Write the store at `path` (through a .tmp file, so a killed build is never reused) and its meta."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    started = time.monotonic()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    generator = Generator(articles, now)
    Store(sqlite_url(tmp)).close()  # the schema, by the migrations
    engine = make_engine(sqlite_url(tmp))
    event.listen(engine, "connect", _no_sync)  # after the store's pragmas: a failed build is redone
    sources, documents, items, translations, _ = (Base.metadata.tables[name] for name in TABLES)
    try:
        with bulk_full_text(engine) as index:
            with engine.begin() as conn:
                conn.execute(insert(sources), generator.sources)
            for number, (doc_rows, item_rows, translation_rows) in enumerate(batches(generator)):
                check_rows(doc_rows[0], translation_rows[: len(LANGUAGES)])  # cheap: one article a batch
                with engine.begin() as conn:
                    conn.execute(insert(documents), doc_rows)
                    conn.execute(insert(items), item_rows)
                    conn.execute(insert(translations), translation_rows)
                    refresh_listings(conn, item_ids=[row["id"] for row in item_rows])
                    index(conn)
                done = min((number + 1) * BATCH, articles)
                if done % 20_000 == 0 or done == articles:
                    log(f"  store: {done:,}/{articles:,} articles, {time.monotonic() - started:.0f} s")
    finally:
        engine.dispose()
    tmp.replace(path)
    meta = {
        "version": VERSION, "articles": articles, "languages": list(LANGUAGES),
        "sources": [source["id"] for source in generator.sources],
        "search_terms": search_terms(generator.text.vocabulary), "built_at": now.isoformat(),
        "build_seconds": round(time.monotonic() - started, 1), "bytes": path.stat().st_size,
    }  # fmt: skip
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return meta


def ensure_sqlite(articles: int, *, rebuild: bool = False, log: Any = print) -> tuple[Path, dict[str, Any]]:
    """The cached store of this size (built when missing or `rebuild`), migrated to head, and its meta."""
    path, meta_path = store_path(articles), store_path(articles).with_suffix(".json")
    if rebuild or not path.exists() or not meta_path.exists():
        log(f"building a store of {articles:,} articles at {path} ...")
        meta = build_sqlite(articles, path, log)
        log(f"  built in {meta['build_seconds']} s, {meta['bytes'] / 2**30:.1f} GiB")
    else:
        meta = json.loads(meta_path.read_text())
    Store(sqlite_url(path)).close()  # a newer migration since the build: apply it now, not in 2 workers
    return path, meta


def original_languages(path: Path) -> list[str]:
    """The original language of item i at index i - 1 (a bilingual view exists in the other languages)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        query = (
            "SELECT d.language FROM items AS i JOIN documents AS d ON d.key = i.document_key ORDER BY i.id"
        )
        return [language for (language,) in conn.execute(query)]
