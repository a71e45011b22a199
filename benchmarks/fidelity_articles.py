"""The whole wire on real multi-paragraph articles, for benchmarks/fidelity.py.

Articles: FLORES dev sentences grouped into news articles (title = first sentence, standfirst =
second, the rest in three paragraphs), a disjoint slice of the 500 sentences per source language
(es, en, ca), rendered as the bundled demo newspaper renders its own (babelwire.demo.site), one
site per language on 127.0.0.1; and real pages from ../shared/data/extraction-dev in Spanish,
Catalan or English (py3langid on the page's evaluation snippets, then babelwire's extractor must
agree), served as they are with an RSS feed. The wire runs on them for real: a fresh SQLite store,
one feed source per site, `run --once` through the embedded runner, the SSRF guard opened for
127.0.0.1 only (as `babelwire demo` does). Then the store is read back.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import py3langid
from feedgen.feed import FeedGenerator

from babelwire.config import Settings
from babelwire.demo.server import Response, SiteServer
from babelwire.demo.site import DemoArticle, render_site
from babelwire.domain import Page, Source, Translation
from babelwire.extract import ExtractionError, extract_document
from babelwire.fetch.encoding import decode_html
from babelwire.pipeline.embedded import EmbeddedRunner
from babelwire.pipeline.report import NullReporter, RunReport
from babelwire.pipeline.stages import ORIGINAL_ENGINE
from babelwire.review.findings import Severity
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import DocumentRow, ItemRow, ReviewStatus, SourceRow, TranslationRow

EXTRACTION = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction-dev"
LANGUAGES = ("es", "en", "ca")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SENTENCES_PER_ARTICLE = 11  # title + standfirst + 9 body sentences in 3 paragraphs
SERIOUS = {str(Severity.ERROR), str(Severity.CRITICAL)}


@dataclass(frozen=True)
class SiteSpec:
    name: str  # e.g. "flores-es"
    origin: str  # "flores" or "pages"
    language: str
    routes: dict[str, Response]
    feed_path: str
    articles: int


def flores_articles(lang: str, sentences: Sequence[str], first: int, count: int) -> list[DemoArticle]:
    """`count` articles from sentences[first:], SENTENCES_PER_ARTICLE each, newest first."""
    articles = []
    for n in range(count):
        chunk = sentences[first + n * SENTENCES_PER_ARTICLE : first + (n + 1) * SENTENCES_PER_ARTICLE]
        if len(chunk) < 5:
            break
        body = chunk[2:]
        third = max(1, -(-len(body) // 3))
        paragraphs = [body[i : i + third] for i in range(0, len(body), third)]
        articles.append(
            DemoArticle(
                slug=f"flores-{lang}-{n + 1:02d}",
                title=chunk[0],
                author="FLORES-200",
                published=START - timedelta(hours=n),
                section="Internacional",
                summary=chunk[1],
                body_html="\n".join(f"<p>{escape(' '.join(p), quote=False)}</p>" for p in paragraphs),
            )
        )
    return articles


@dataclass(frozen=True)
class RealPage:
    url: str  # the page's original address (evaldata key), for the report only
    file: str
    language: str
    title: str
    html: bytes


def real_pages(per_language: int, languages: Sequence[str] = LANGUAGES) -> list[RealPage]:
    """Up to `per_language` extraction-dev pages per language, in evaldata order by file name.

    A page qualifies when py3langid names the language of its `with` snippets, babelwire's
    extractor finds the same language, and the article has 4-40 blocks and 120-1200 words
    (a news article, not a listing or a book).
    """
    evaldata_path = EXTRACTION / "evaldata.json"
    if per_language <= 0 or not evaldata_path.exists():
        return []
    evaldata: dict[str, Any] = json.loads(evaldata_path.read_text(encoding="utf-8"))
    chosen: dict[str, list[RealPage]] = {lang: [] for lang in languages}
    for url, entry in sorted(evaldata.items(), key=lambda kv: kv[1]["file"]):
        snippets = " ".join(entry.get("with", ()))
        lang = py3langid.classify(snippets)[0] if snippets else None
        if lang not in chosen or len(chosen[lang]) >= per_language:
            continue
        path = EXTRACTION / "html" / f"{entry['file']}.gz"
        if not path.exists():
            continue
        raw = gzip.decompress(path.read_bytes())
        page = Page(url=url, final_url=url, status=200, content_type="text/html", html=decode_html(raw))
        try:
            document = extract_document(page)
        except ExtractionError:
            continue
        words = sum(len(block.text.split()) for block in document.blocks)
        if document.language != lang or not 4 <= len(document.blocks) <= 40 or not 120 <= words <= 1200:
            continue
        chosen[lang].append(RealPage(url, entry["file"], lang, document.title or entry["file"], raw))
        if all(len(pages) >= per_language for pages in chosen.values()):
            break
    return [page for lang in languages for page in chosen[lang]]


def _pages_routes(base_url: str, pages: Sequence[RealPage], lang: str) -> dict[str, Response]:
    """The pages as they were captured, and an RSS feed listing them (newest first)."""
    routes: dict[str, Response] = {}
    feed = FeedGenerator()
    feed.title(f"extraction-dev pages ({lang})")
    feed.link(href=base_url + "/", rel="alternate")
    feed.description("Real web pages from ../shared/data/extraction-dev, served locally")
    feed.language(lang)
    for n, page in enumerate(pages):
        path = f"/pages/{page.file.removesuffix('.html')}.html"
        routes[path] = Response(content_type="text/html", body=page.html)
        entry = feed.add_entry(order="append")
        entry.title(page.title)
        entry.link(href=base_url + path)
        entry.guid(base_url + path, permalink=True)
        entry.pubDate(START - timedelta(hours=n))
    routes["/rss.xml"] = Response(content_type="application/rss+xml; charset=utf-8", body=feed.rss_str())
    return routes


@contextmanager
def serve_sites(
    flores: dict[str, list[str]], articles_per_language: int, pages: Sequence[RealPage]
) -> Iterator[list[tuple[SiteSpec, SiteServer]]]:
    """One local site per (origin, language), started; stopped on exit."""
    with ExitStack() as stack:
        sites: list[tuple[SiteSpec, SiteServer]] = []
        for index, lang in enumerate(LANGUAGES):
            if lang not in flores:
                continue
            first = index * articles_per_language * SENTENCES_PER_ARTICLE  # a disjoint slice per language
            articles = flores_articles(lang, flores[lang], first, articles_per_language)
            server = SiteServer({})
            server.routes.update(render_site(server.base_url, articles))
            spec = SiteSpec(f"flores-{lang}", "flores", lang, dict(server.routes), "/rss.xml", len(articles))
            sites.append((spec, stack.enter_context(server)))
        for lang in LANGUAGES:
            chosen = [page for page in pages if page.language == lang]
            if not chosen:
                continue
            server = SiteServer({})
            server.routes.update(_pages_routes(server.base_url, chosen, lang))
            spec = SiteSpec(f"pages-{lang}", "pages", lang, dict(server.routes), "/rss.xml", len(chosen))
            sites.append((spec, stack.enter_context(server)))
        yield sites


def wire_settings(data_dir: Path, deformatter: str) -> Settings:
    """The default configuration with every target language, the store in data_dir, 127.0.0.1 allowed."""
    base = Settings(
        data_dir=data_dir,
        database_url=None,
        target_languages=list(LANGUAGES),
        engine_options={"apertium": {"deformatter": deformatter}},
    )
    # As `babelwire demo`: our own server on 127.0.0.1, which the SSRF guard refuses; allow that address only.
    fetch = base.fetch.model_copy(
        update={
            "allowed_networks": [*base.fetch.allowed_networks, "127.0.0.1/32"],
            "per_host_interval": 0.0,
            "per_host_concurrency": 4,
        }
    )
    return base.model_copy(update={"fetch": fetch})


class _ErrorCounter(logging.Handler):
    """Counts what babelwire logs at ERROR and above (e.g. "review check negation failed")."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.getMessage()[:160]] += 1


def run_wire(
    settings: Settings, sites: Sequence[tuple[SiteSpec, SiteServer]]
) -> tuple[Store, RunReport, Counter[str]]:
    """`babelwire sources add URL --kind feed --language L` per site, then `babelwire run --once`.

    Also what babelwire logged as errors meanwhile, counted (not printed one by one): a review
    check that crashes is skipped by the editor, which would make the wire look better than it is.
    """
    store = Store.from_settings(settings)
    with store.session() as session, session.begin():
        for spec, server in sites:
            queries.upsert_source(
                session, Source(name=spec.name, url=server.url(spec.feed_path), language=spec.language)
            )
    logger = logging.getLogger("babelwire")
    saved = logger.level, logger.propagate
    errors = _ErrorCounter()
    # Held translations are logged as warnings (the tables say it all); errors are counted.
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    logger.addHandler(errors)
    runner = EmbeddedRunner(settings, store, NullReporter())
    try:
        report = asyncio.run(runner.run_once(force_poll=True))
    finally:
        runner.close()
        logger.removeHandler(errors)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
    return store, report, errors.counts


@dataclass
class TargetStats:
    articles: int = 0  # items expected in this target language (not already written in it)
    translations: int = 0
    published: int = 0
    held: int = 0
    rejected: int = 0
    failed: int = 0  # no translation: the item failed before (fetch, extract, translate)
    pending: int = 0
    sentences: int = 0
    published_sentences: int = 0
    published_serious: int = 0  # published sentences with an error-level or critical finding
    repaired: int = 0
    shown_original: int = 0
    holds_by_check: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


def _findings(row: TranslationRow) -> list[dict[str, Any]]:
    found = json.loads(row.findings_json or "[]")
    return [f for f in found if isinstance(f, dict)]


def _repairs(translation: Translation) -> tuple[int, set[int]]:
    """Sentences the editor repaired (a re-translation kept), and the review indexes (title 0,
    then every sentence) of those shown in the original language instead."""
    repaired = sum(1 for r in translation.repairs if r.kept not in ("first", "original"))
    pairs = [pair for block in translation.blocks for pair in block.sentences]
    return repaired, {index for index, pair in enumerate(pairs, start=1) if pair.withheld}


def collect(
    store: Store, settings: Settings, sites: Sequence[SiteSpec]
) -> dict[tuple[str, str], TargetStats]:
    """Per (origin, target language): what the wire did with every article."""
    origin_of = {spec.name: spec.origin for spec in sites}
    policy = settings.review
    hold_rank = policy.hold_at.rank
    stats: dict[tuple[str, str], TargetStats] = {}
    with store.session() as session:
        items = session.query(ItemRow, SourceRow).join(SourceRow, ItemRow.source_id == SourceRow.id).all()
        for item, source in items:
            origin = origin_of.get(source.name, source.name)
            document = session.get(DocumentRow, item.document_key) if item.document_key else None
            source_lang = (document.language if document else None) or source.language
            for target in settings.target_languages:
                if target == source_lang:
                    continue
                entry = stats.setdefault((origin, target), TargetStats())
                entry.articles += 1
                row = queries.find_translation(session, document.key, target) if document else None
                if row is None:
                    entry.failed += 1
                    continue
                if row.engine == ORIGINAL_ENGINE:
                    continue
                entry.translations += 1
                translation = queries.translation_from_row(row)
                sentence_count = 1 + sum(len(block.sentences) for block in translation.blocks)
                entry.sentences += sentence_count
                repaired, shown = _repairs(translation)
                entry.repaired += repaired
                entry.shown_original += len(shown)
                findings = _findings(row)
                status = row.review_status
                if status in ReviewStatus.VISIBLE:
                    entry.published += 1
                    entry.published_sentences += sentence_count - len(shown)
                    serious = {f.get("segment") for f in findings if f.get("severity") in SERIOUS}
                    entry.published_serious += len(serious - shown)
                    for finding in findings:
                        if finding.get("severity") in SERIOUS and finding.get("segment") not in shown:
                            entry.examples.append(
                                f"{item.url}: {finding.get('check')}: {finding.get('message')}"
                            )
                elif status in (ReviewStatus.HOLD, ReviewStatus.REJECT, ReviewStatus.REFUSED):
                    if status == ReviewStatus.HOLD:
                        entry.held += 1
                    else:
                        entry.rejected += 1
                    stopping = [f for f in findings if _rank(f.get("severity")) >= hold_rank]
                    if stopping:
                        entry.holds_by_check.update(str(f.get("check")) for f in stopping)
                    else:
                        entry.holds_by_check[f"> {policy.max_warnings} warnings"] += 1
                else:
                    entry.pending += 1
    return stats


def _rank(severity: object) -> int:
    try:
        return Severity(str(severity)).rank
    except ValueError:
        return -1
