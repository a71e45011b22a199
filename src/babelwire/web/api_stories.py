"""Stories in the JSON API: `/api/v1/stories` (a language's top stories, paged) and
`/api/v1/stories/{id}` (one story with every version), public like the articles they list.

The ranking is store/stories.py's (sources, then languages, then recency, over the window of
`[web] top_stories_hours`); pages are `limit`/`offset`, since a ranking has no keyset order and
the window bounds how deep it goes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

from fastapi import APIRouter, Path, Query

from babelwire.store.stories import StorySummary, copies_of, get_story, top_stories
from babelwire.web.api import MAX_PAGE, Lang, _language
from babelwire.web.api_http import MAX_ID, NOT_FOUND, PREFIX, APIError, TokenFirstRoute
from babelwire.web.api_models import article_summary
from babelwire.web.api_story_models import StoryDetail, StoryOut, StoryPage, story_detail, story_out
from babelwire.web.deps import AppSettings, ReadSession
from babelwire.web.story_feeds import top_window

router = APIRouter(prefix=PREFIX, tags=["stories"], route_class=TokenFirstRoute, responses=NOT_FOUND)
StoryId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _story_out(
    story: StorySummary, language: str, base_url: str, also: Mapping[int, Sequence[object]]
) -> StoryOut:
    lead = article_summary(story.lead_row, base_url, also.get(story.lead.id, ()))
    return story_out(story.numbers, language, base_url, story.source_names, lead)


@router.get(
    "/stories", response_model=StoryPage, summary="Top stories, ranked by sources, languages, recency"
)
def list_stories(
    session: ReadSession,
    settings: AppSettings,
    lang: Lang = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000, description="Skip this many stories.")] = 0,
) -> StoryPage:
    """The stories with a version in the window, most sources first, then most original languages,
    then the newest; each with its lead article (attribution and engine, as every article)."""
    language = _language(settings, lang)
    found, total = top_stories(session, language, limit=limit, offset=offset, window=top_window(settings))
    also = copies_of(session, [story.lead.id for story in found])
    items = [_story_out(story, language, settings.base_url, also) for story in found]
    hours = settings.web.top_stories_hours
    return StoryPage(total=total, limit=limit, offset=offset, window_hours=hours, items=items)


@router.get("/stories/{story_id}", response_model=StoryDetail, summary="One story with every version")
def show_story(
    story_id: StoryId, session: ReadSession, settings: AppSettings, lang: Lang = None
) -> StoryDetail:
    """Every version this language lists, newest first, with the copies other sources published."""
    language = _language(settings, lang)
    story = get_story(session, language, story_id)
    if story is None:
        raise APIError(404, f"no story {story_id} with an article published in {language!r}")
    base = settings.base_url
    articles = [article_summary(row, base, story.copies.get(row[0].id, ())) for row in story.version_rows]
    lead = next(article for article in articles if article.id == story.lead.id)
    return story_detail(story.numbers, language, base, story.source_names, lead, articles)
