"""What the stories API gives (web/api_stories.py): a page of top stories, one story with its versions.

Articles are the articles API's own models (api_models.ArticleSummary, with `story_id` and
`also_published_by`), so a story's versions read like any other list of articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from babelwire.store.stories import StoryNumbers
from babelwire.web.api_models import ArticleSummary


class StoryOut(BaseModel):
    """A story in one language, with the numbers that rank it among the top stories."""

    id: int
    language: str
    sources: int = Field(description="Distinct sources of its versions and their copies.")
    languages: int = Field(description="Distinct original languages of its versions.")
    versions: int = Field(description="Its articles this language lists.")
    latest: datetime = Field(description="The newest version's date.")
    source_names: list[str]
    url: str = Field(description="The story's page on this site.")
    lead: ArticleSummary = Field(
        description="Its headline article: the newest written in this language, else the newest."
    )


class StoryPage(BaseModel):
    total: int = Field(description="How many stories have a version in the window, in every page.")
    limit: int
    offset: int
    window_hours: int = Field(description="Stories with a version this many hours before the newest one.")
    items: list[StoryOut] = Field(description="Ranked by sources, then languages, then recency.")


class StoryDetail(StoryOut):
    articles: list[ArticleSummary] = Field(
        description="Every version this language lists, newest first, each with its copies."
    )


def story_out(
    numbers: StoryNumbers, language: str, base_url: str, source_names: Sequence[str], lead: ArticleSummary
) -> StoryOut:
    return StoryOut(**_fields(numbers, language, base_url, source_names, lead))


def story_detail(
    numbers: StoryNumbers,
    language: str,
    base_url: str,
    source_names: Sequence[str],
    lead: ArticleSummary,
    articles: list[ArticleSummary],
) -> StoryDetail:
    return StoryDetail(**_fields(numbers, language, base_url, source_names, lead), articles=articles)


def _fields(
    numbers: StoryNumbers, language: str, base_url: str, source_names: Sequence[str], lead: ArticleSummary
) -> dict[str, Any]:
    return {
        "id": numbers.story_id,
        "language": language,
        "sources": numbers.sources,
        "languages": numbers.languages,
        "versions": numbers.versions,
        "latest": numbers.latest,
        "source_names": list(source_names),
        "url": f"{base_url.rstrip('/')}/{language}/stories/{numbers.story_id}",
        "lead": lead,
    }
