"""Reader pages: home, article, bilingual view, sources, search — per target language.

Every page gets `alternates` (the same page in the other languages, for the switcher) and
`settings` (for the feed links in the head). Pages past the last one are 404s, so crawlers
do not index empty lists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TypedDict

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from markupsafe import escape

from babelwire.config import Settings
from babelwire.domain import BlockKind, Repair
from babelwire.store.articles import (
    SEVERITIES,
    PublishedArticle,
    ReviewFinding,
    count_articles,
    get_article,
    listed_articles,
    published_languages,
    source_summaries,
)
from babelwire.store.models import ListingRow
from babelwire.store.search import matching, search_articles
from babelwire.web.deps import AppSettings, ReadSession, RowId, check_language, render
from babelwire.web.paging import PageCursor, PageNumber, count_newer, page_window, pager
from babelwire.web.rendering import optional_function, withheld_count
from babelwire.web.sitemap import language_versions
from babelwire.web.story_context import article_story, home_stories, search_groups

PAGE_SIZE = 20
MAX_QUERY = 200
NO_ARTICLE = "There is no such article in this language."
router = APIRouter()


@dataclass(frozen=True)
class SentenceRow:
    """One line of the bilingual view; `index` is the review's segment number (None: not reviewed).

    `withheld`: what the editor found when it kept the original instead; `repair`: what it tried."""

    index: int | None
    kind: str
    source_html: str
    target_html: str
    findings: tuple[ReviewFinding, ...]
    block_start: bool
    withheld: str = ""
    repair: Repair | None = None


def alternates(settings: Settings, lang: str, path: str, only: list[str] | None = None) -> dict[str, str]:
    """`path` (after the language) in each other language; `only`: languages that have it."""
    return {
        code: f"/{code}/{path}"
        for code in settings.target_languages
        if code != lang and (only is None or code in only)
    }


class HeadLinks(TypedDict):
    """What base.html's head and language switcher need: canonical, hreflang, the switcher's links."""

    canonical: str | None
    hreflang: dict[str, str]
    alternates: dict[str, str]


def head_links(settings: Settings, lang: str, path: str, only: list[str] | None = None) -> HeadLinks:
    """`canonical` and `hreflang` (absolute, self and x-default included) for the page's head, by the
    sitemap's own `language_versions`, so both say the same; hreflang only when there are two versions."""
    shown = settings.target_languages if only is None else [lang, *only]
    versions = language_versions(settings, path, shown)
    return HeadLinks(
        canonical=versions.get(lang),
        hreflang=versions if len(versions.keys() - {"x-default"}) > 1 else {},
        alternates=alternates(settings, lang, path, only),
    )


def sentence_rows(article: PublishedArticle) -> tuple[list[SentenceRow], list[ReviewFinding]]:
    """Title, then every sentence across blocks, numbered as review/editor.py's `context_for` numbers
    them; plus the findings about no one sentence (segment -1, or one the text no longer has)."""
    by_segment: dict[int, list[ReviewFinding]] = defaultdict(list)
    for finding in article.findings:
        by_segment[finding.segment].append(finding)
    repairs = {repair.segment: repair for repair in article.repairs}
    title = SentenceRow(
        0, "title", escape(article.original_title), escape(article.title), tuple(by_segment.pop(0, ())), True,
        repair=repairs.get(0),
    )  # fmt: skip
    rows, index = [title], 1
    shown = _excerpt_block(article) if article.excerpt_only else None
    for number, block in enumerate(article.blocks):
        visible = shown is None or number == shown
        if not block.sentences:  # nothing the review numbered: shown whole, unnumbered
            if visible:
                rows.append(SentenceRow(None, str(block.kind), block.source_html, block.html, (), True))
            continue
        for position, pair in enumerate(block.sentences):
            found = tuple(by_segment.pop(index, ()))  # popped even when hidden: not "general" either
            if visible:
                rows.append(SentenceRow(index, str(block.kind), pair.source_html, pair.target_html,
                                        found, position == 0, pair.withheld, repairs.get(index)))  # fmt: skip
            index += 1
    if article.excerpt_only:  # what was found in the part not shown is not shown either
        by_segment = defaultdict(list, {k: v for k, v in by_segment.items() if k < 0})
    general = sorted(
        (f for found in by_segment.values() for f in found), key=lambda f: -SEVERITIES.index(f.severity)
    )
    return rows, general


def _excerpt_block(article: PublishedArticle) -> int:
    """The block an excerpt-only source lets us show: its first paragraph."""
    kinds = [block.kind for block in article.blocks]
    return kinds.index(BlockKind.PARAGRAPH) if BlockKind.PARAGRAPH in kinds else 0


def _jsonld(article: PublishedArticle, settings: Settings) -> object:
    """The NewsArticle JSON-LD element from web/jsonld.py, when that module is there."""
    make = optional_function("babelwire.web.jsonld", "news_article_jsonld")
    return make(article, settings) if make else None


def _article_or_404(session: ReadSession, lang: str, article_id: int) -> PublishedArticle:
    found = get_article(session, lang, article_id)
    if found is None:
        raise HTTPException(status_code=404, detail=NO_ARTICLE)
    return found


@router.get("/{lang}/", response_class=HTMLResponse)
def home(
    request: Request,
    lang: str,
    session: ReadSession,
    settings: AppSettings,
    page: PageNumber = 1,
    before: PageCursor = None,
    after: PageCursor = None,
) -> HTMLResponse:
    check_language(settings, lang)
    window = page_window(PAGE_SIZE, page, before, after)
    articles, found = listed_articles(session, lang, window)
    newer = count_newer(session, lang, window, found)
    paging = pager(f"/{lang}/", {}, window, found, total=count_articles(session, lang), newer=newer)
    return render(
        request,
        "home.html",
        lang=lang,
        articles=articles,
        pager=paging,
        **home_stories(session, settings, lang, window),
        **head_links(settings, lang, paging.suffix),
    )


@router.get("/{lang}/articles/{article_id}", response_class=HTMLResponse)
def article(
    request: Request, lang: str, article_id: RowId, session: ReadSession, settings: AppSettings
) -> HTMLResponse:
    check_language(settings, lang)
    found = _article_or_404(session, lang, article_id)
    others = [
        code for code in published_languages(session, article_id, settings.target_languages) if code != lang
    ]
    flagged = len({f.segment for f in found.findings if f.segment >= 0 and f.severity != "info"})
    shown = [found.excerpt_block] if found.excerpt_only and found.excerpt_block else list(found.blocks)
    return render(
        request,
        "article.html",
        lang=lang,
        article=found,
        other_languages=others,
        flagged=flagged,
        withheld=withheld_count(shown),
        jsonld=_jsonld(found, settings),
        **article_story(session, lang, article_id),
        **head_links(settings, lang, f"articles/{article_id}", others),
    )


@router.get("/{lang}/articles/{article_id}/bilingual", response_class=HTMLResponse)
def bilingual(
    request: Request, lang: str, article_id: RowId, session: ReadSession, settings: AppSettings
) -> HTMLResponse:
    """Each source sentence beside its translation, so a reader can check a doubtful one."""
    check_language(settings, lang)
    found = _article_or_404(session, lang, article_id)
    if not found.is_machine_translated:
        raise HTTPException(
            status_code=404,
            detail="This article is in its original language: there is no translation to compare.",
        )
    rows, general = sentence_rows(found)
    others = [
        code for code in published_languages(session, article_id, settings.target_languages) if code != lang
    ]
    links = {
        code: f"/{code}/articles/{article_id}" + ("" if code == found.source_language else "/bilingual")
        for code in others
    }
    translated = [code for code in others if code != found.source_language]  # have a bilingual view
    head = head_links(settings, lang, f"articles/{article_id}/bilingual", translated)
    head["alternates"] = links  # the switcher leads to the original's own page in its language
    return render(
        request,
        "bilingual.html",
        lang=lang,
        article=found,
        rows=rows,
        general=general,
        flagged=sum(1 for row in rows if row.findings),
        withheld=sum(1 for row in rows if row.withheld),
        **head,
    )


@router.get("/{lang}/sources", response_class=HTMLResponse)
def sources(request: Request, lang: str, session: ReadSession, settings: AppSettings) -> HTMLResponse:
    check_language(settings, lang)
    return render(
        request,
        "sources.html",
        lang=lang,
        sources=source_summaries(session, lang),
        **head_links(settings, lang, "sources"),
    )


@router.get("/{lang}/sources/{source_id}", response_class=HTMLResponse)
def source(
    request: Request,
    lang: str,
    source_id: RowId,
    session: ReadSession,
    settings: AppSettings,
    page: PageNumber = 1,
    before: PageCursor = None,
    after: PageCursor = None,
) -> HTMLResponse:
    check_language(settings, lang)
    found = source_summaries(session, lang, source_id=source_id)
    if not found:
        raise HTTPException(status_code=404, detail="There is no such source.")
    window = page_window(PAGE_SIZE, page, before, after)
    only = ListingRow.source_id == source_id
    articles, shown = listed_articles(session, lang, window, only)
    newer = count_newer(session, lang, window, shown, only)
    path = f"/{lang}/sources/{source_id}"
    paging = pager(path, {}, window, shown, total=found[0].articles, newer=newer)
    return render(
        request,
        "source.html",
        lang=lang,
        source=found[0],
        articles=articles,
        pager=paging,
        feed_source_id=source_id,
        feed_source_name=found[0].name,
        **head_links(settings, lang, f"sources/{source_id}{paging.suffix}"),
    )


@router.get("/{lang}/search", response_class=HTMLResponse)
def search(
    request: Request,
    lang: str,
    session: ReadSession,
    settings: AppSettings,
    q: str = "",
    page: PageNumber = 1,
    before: PageCursor = None,
    after: PageCursor = None,
) -> HTMLResponse:
    """Full-text search in this language's edition; any text is a valid query (see store/search.py)."""
    check_language(settings, lang)
    query = q.strip()[:MAX_QUERY]
    window = page_window(PAGE_SIZE, page, before, after)
    articles, found, total = search_articles(session, lang, query, window)
    newer = count_newer(session, lang, window, found, matching(session, lang, query)) if total else 0
    params = {"q": query} if query else {}
    paging = pager(f"/{lang}/search", params, window, found, total=total, newer=newer)
    return render(
        request,
        "search.html",
        lang=lang,
        query=query,
        articles=articles,
        groups=search_groups(session, lang, articles),
        total=total,
        pager=paging,
        **head_links(settings, lang, f"search{paging.suffix}"),
    )
