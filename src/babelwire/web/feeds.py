"""Per-language RSS 2.0 feed of the published articles, built with feedgen."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response
from feedgen.feed import FeedGenerator

from babelwire.store.articles import PublishedArticle, latest_articles
from babelwire.web.deps import AppSettings, DbSession, check_language
from babelwire.web.rendering import BLOCK_TAGS, inline_html

router = APIRouter()


def article_html(article: PublishedArticle) -> str:
    notice = (
        f"<p><em>Machine-translated by {article.engine} ({article.model_version}) from "
        f'<a href="{article.original_url}">the original</a> published by {article.source_name}.</em></p>'
    )
    body = "".join(
        f"<{BLOCK_TAGS[b.kind]}>{inline_html(b.html)}</{BLOCK_TAGS[b.kind]}>" for b in article.blocks
    )
    return notice + body


def render_rss(
    articles: list[PublishedArticle], *, language: str, site_title: str, site_url: str, feed_url: str
) -> bytes:
    feed = FeedGenerator()
    feed.title(f"{site_title} ({language})")
    feed.link(href=feed_url, rel="self")
    feed.link(href=f"{site_url.rstrip('/')}/{language}/", rel="alternate")  # feedgen: the last link wins
    feed.description(f"Machine-translated news in {language}, with links to every original.")
    feed.language(language)
    feed.generator("babelwire")
    feed.load_extension("dc")
    feed.lastBuildDate(datetime.now(UTC))
    for article in reversed(articles):  # feedgen prepends entries
        entry = feed.add_entry()
        link = f"{site_url.rstrip('/')}/{language}/articles/{article.id}"
        entry.id(link)
        entry.guid(link, permalink=True)
        entry.title(article.title)
        entry.link(href=link)
        if article.author:  # RSS <author> must be an e-mail address; Dublin Core takes a name
            entry.dc.dc_creator(article.author)
        if article.published:
            entry.pubDate(article.published)
        entry.description(article_html(article))
    return bytes(feed.rss_str(pretty=True))


@router.get("/{lang}/feed.rss")
def rss(lang: str, session: DbSession, settings: AppSettings) -> Response:
    check_language(settings, lang)
    base = settings.base_url.rstrip("/")
    body = render_rss(
        latest_articles(session, lang, limit=50),
        language=lang,
        site_title=settings.site_title,
        site_url=base,
        feed_url=f"{base}/{lang}/feed.rss",
    )
    return Response(body, media_type="application/rss+xml; charset=utf-8")
