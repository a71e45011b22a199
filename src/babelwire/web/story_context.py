"""What the site's other pages show of stories: the home page's top stories, an article's story and
copies, search results grouped by story. Apart from story_pages.py so that pages.py can use it
without importing the story routes (which use pages.py's head links)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.store.articles import PublishedArticle
from babelwire.store.keyset import Window
from babelwire.store.stories import StoryBrief, copies_of, story_briefs, story_of_item, top_stories
from babelwire.web.story_feeds import story_feed_links, top_window

TOP_ON_HOME = 5


def home_stories(session: Session, settings: Settings, lang: str, window: Window) -> dict[str, Any]:
    """What the home page shows above its latest articles: the top stories and their feeds, on its
    first page only (an older page of the list is about older articles)."""
    if window.offset or window.before is not None or window.after is not None:
        return {}
    found, _ = top_stories(session, lang, limit=TOP_ON_HOME, window=top_window(settings))
    return {"top_stories": found, "story_feeds": story_feed_links(settings, lang)}


def article_story(session: Session, lang: str, article_id: int) -> dict[str, Any]:
    """What an article page says of its story: which one it is part of, and who else published it."""
    return {
        "story": story_of_item(session, lang, article_id),
        "also_published_by": copies_of(session, [article_id]).get(article_id, ()),
    }


@dataclass
class ResultGroup:
    """Search results of one story, shown together under it (story None: one result, as before)."""

    story: StoryBrief | None
    articles: list[PublishedArticle] = field(default_factory=list)


def group_by_story(articles: list[PublishedArticle], briefs: dict[int, StoryBrief]) -> list[ResultGroup]:
    """The results in their order, those of a story with more than one version gathered where the
    first of them is; the others stay single, as before."""
    groups: list[ResultGroup] = []
    by_story: dict[int, ResultGroup] = {}
    for article in articles:
        brief = briefs.get(article.id)
        if brief is None or brief.numbers.versions < 2:
            groups.append(ResultGroup(None, [article]))
            continue
        if brief.id not in by_story:
            by_story[brief.id] = ResultGroup(brief)
            groups.append(by_story[brief.id])
        by_story[brief.id].articles.append(article)
    return groups


def search_groups(session: Session, lang: str, articles: list[PublishedArticle]) -> list[ResultGroup]:
    return group_by_story(articles, story_briefs(session, lang, [a.id for a in articles]))
