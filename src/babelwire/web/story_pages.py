"""Reader pages of stories: the top stories of a language, one story with every version, and what
the home, article and search pages show of stories (store/stories.py reads them all).

Every article these pages show keeps its attribution and machine-translation notice, as the
article cards do (_article_meta.html): a story page is a list of other newsrooms' articles. The
pages are public GETs, so the generation cache keeps them (web/cache.py) like every other page, and
a story's change (an article published, moved, found to be a copy) empties it (store/changes.py).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from babelwire.store.stories import get_story, story_languages, top_stories
from babelwire.web.deps import AppSettings, ReadSession, RowId, check_language, render
from babelwire.web.feeds import FORMATS
from babelwire.web.pages import head_links
from babelwire.web.paging import NO_PAGE, PageNumber, Pager
from babelwire.web.story_feeds import story_feed_links, top_window

STORIES_PAGE = 20
NO_STORY = "There is no such story in this language."
FEED_LABELS = {mime: label for mime, label in FORMATS.values()}
router = APIRouter()


def _pager(lang: str, page: int, total: int) -> Pager:
    """Page-number links: the ranking is not a keyset order, and the window bounds how deep it goes."""
    pages = max(1, -(-total // STORIES_PAGE))
    path = f"/{lang}/stories"
    newer = None if page == 1 else path if page == 2 else f"{path}?page={page - 1}"
    older = f"{path}?page={page + 1}" if page < pages else None
    return Pager(page, pages, newer, older, f"?page={page}" if page > 1 else "")


@router.get("/{lang}/stories", response_class=HTMLResponse)
def stories(
    request: Request, lang: str, session: ReadSession, settings: AppSettings, page: PageNumber = 1
) -> HTMLResponse:
    check_language(settings, lang)
    found, total = top_stories(
        session, lang, limit=STORIES_PAGE, offset=(page - 1) * STORIES_PAGE, window=top_window(settings)
    )
    if not found and page > 1:
        raise HTTPException(status_code=404, detail=NO_PAGE)
    paging = _pager(lang, page, total)
    return render(
        request,
        "stories.html",
        lang=lang,
        stories=found,
        pager=paging,
        hours=settings.web.top_stories_hours,
        story_feeds=story_feed_links(settings, lang),
        **head_links(settings, lang, f"stories{paging.suffix}"),
    )


@router.get("/{lang}/stories/{story_id}", response_class=HTMLResponse)
def story(
    request: Request, lang: str, story_id: RowId, session: ReadSession, settings: AppSettings
) -> HTMLResponse:
    """Every version of the story this language lists: source, original language, date, the link to
    the original and to our translation, and the copies other sources published."""
    check_language(settings, lang)
    found = get_story(session, lang, story_id)
    if found is None:
        raise HTTPException(status_code=404, detail=NO_STORY)
    others = [code for code in story_languages(session, story_id, settings.target_languages) if code != lang]
    return render(
        request,
        "story.html",
        lang=lang,
        story=found,
        story_feeds=story_feed_links(settings, lang, story_id, found.lead.title),
        feed_labels=FEED_LABELS,
        **head_links(settings, lang, f"stories/{story_id}", others),
    )
