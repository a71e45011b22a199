"""Story feeds: a language's top stories, and every version of one story, in RSS, Atom and JSON Feed.

The entries are feeds.py's own (make_entries: the notice with engine and model, the link to the
original and its source, excerpt-only sources cut to their first paragraph), rendered by its
renderers; this module only says which articles and adds what a story knows. A top story's entry
is its lead article, identified by the story's page (so a story stays one entry while its lead
changes), after a line naming its sources. A story's entries are its versions, each followed by
the copies other sources published ("also published by").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from fastapi import APIRouter, HTTPException, Request, Response
from markupsafe import Markup

from babelwire.config import Settings
from babelwire.store.stories import AlsoPublished, StorySummary, get_story, top_stories
from babelwire.web.dates import utc_seconds
from babelwire.web.deps import AppSettings, ReadSession, RowId, check_language
from babelwire.web.feeds import FEED_LIMIT, FORMATS, Entry, FeedInfo, entries_response, make_entries, xml_text
from babelwire.web.rendering import language_name, web_url

TOP_FEED_LIMIT = 30
router = APIRouter()


def top_window(settings: Settings) -> timedelta:
    """How far back top stories look (`[web] top_stories_hours`)."""
    return timedelta(hours=settings.web.top_stories_hours)


def story_url(site_url: str, lang: str, story_id: int) -> str:
    return f"{site_url}/{lang}/stories/{story_id}"


def story_feed_links(
    settings: Settings, lang: str, story_id: int | None = None, story_title: str | None = None
) -> list[tuple[str, str, str]]:
    """(media type, title, absolute URL) of the story feeds a page announces: one story's with a
    story, else the language's top stories."""
    base = settings.base_url.rstrip("/")
    if story_id is None:
        path, title = f"/{lang}/stories/feed", f"Top stories — {settings.site_title} ({language_name(lang)})"
    else:
        name = story_title or f"story {story_id}"
        path, title = f"/{lang}/stories/{story_id}/feed", f"{name} — {settings.site_title} ({lang})"
    return [(mime, f"{title}, {label}", f"{base}{path}.{fmt}") for fmt, (mime, label) in FORMATS.items()]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def top_story_entry(site_url: str, story: StorySummary) -> Entry:
    """The story's lead article as feeds.py writes it, under the story's page and after its numbers."""
    (entry,) = make_entries(site_url, [story.lead])
    url = story_url(site_url, story.lead.language, story.id)
    numbers = story.numbers
    note = Markup('<p><em>One story, {} from {} in {}: {}. <a href="{}">Every version</a>.</em></p>').format(
        _plural(numbers.versions, "version"), _plural(numbers.sources, "source"),
        _plural(numbers.languages, "language"), ", ".join(story.source_names), url,
    )  # fmt: skip
    return replace(
        entry,
        url=url,
        html=xml_text(str(note)) + entry.html,
        updated=max(entry.updated, utc_seconds(numbers.latest)),
    )


def also_published_html(copies: tuple[AlsoPublished, ...]) -> Markup:
    """ "Also published by" with each copy's source, linked to its original when that is a web link."""
    if not copies:
        return Markup("")
    names = [
        Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(copy.url, copy.source_name)
        if web_url(copy.url)
        else Markup("{}").format(copy.source_name)
        for copy in copies
    ]
    return Markup("<p><em>Also published by {}.</em></p>").format(Markup(", ").join(names))


@router.get("/{lang}/stories/feed.{fmt}", include_in_schema=False)
def top_stories_feed(
    request: Request, lang: str, fmt: str, session: ReadSession, settings: AppSettings
) -> Response:
    check_language(settings, lang)
    if fmt not in FORMATS:
        raise HTTPException(status_code=404, detail=f"no feed format {fmt!r}")
    hours = settings.web.top_stories_hours
    found, _ = top_stories(session, lang, limit=TOP_FEED_LIMIT, window=top_window(settings))
    base = settings.base_url.rstrip("/")
    info = FeedInfo(
        title=f"Top stories — {settings.site_title} ({language_name(lang)})",
        description=f"The stories of the last {hours} hours, ranked by sources, languages and recency; "
        f"machine-translated into {language_name(lang)}, with a link to every original.",
        language=lang,
        site_url=base,
        home_url=f"{base}/{lang}/stories",
        path=f"/{lang}/stories/feed",
    )
    return entries_response(request, info, [top_story_entry(base, story) for story in found], fmt)


@router.get("/{lang}/stories/{story_id}/feed.{fmt}", include_in_schema=False)
def story_feed(
    request: Request, lang: str, story_id: RowId, fmt: str, session: ReadSession, settings: AppSettings
) -> Response:
    check_language(settings, lang)
    if fmt not in FORMATS:
        raise HTTPException(status_code=404, detail=f"no feed format {fmt!r}")
    story = get_story(session, lang, story_id)
    if story is None:
        raise HTTPException(status_code=404, detail="no such story in this language")
    base = settings.base_url.rstrip("/")
    info = FeedInfo(
        title=f"{story.lead.title} — {settings.site_title} ({language_name(lang)})",
        description=f"Every version of one story, machine-translated into {language_name(lang)}, "
        "with a link to every original.",
        language=lang,
        site_url=base,
        home_url=story_url(base, lang, story_id),
        path=f"/{lang}/stories/{story_id}/feed",
    )
    entries = [
        replace(
            entry,
            html=entry.html + xml_text(str(also_published_html(story.copies.get(entry.article.id, ())))),
        )
        for entry in make_entries(base, list(story.versions[:FEED_LIMIT]))
    ]
    return entries_response(request, info, entries, fmt)
