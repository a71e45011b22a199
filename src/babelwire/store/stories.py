"""Stories as readers see them: the top stories of a language edition, a story with its versions.

A story's *versions* in a language are its members that language lists (store/listings.py:
published, with a visible translation into it), so a story shows only what the rest of the site
shows. Its *copies* are the articles the stories stage found to be the same text under another
URL (status `duplicate`, `copy_of_id` the article they copy): never listed on their own, only
as "also published by" under the article they copy, with their source and original URL.

Top stories of a language are the stories with a version listed within the window before the
language's newest article (never later than now, so a quiet site or the demo still has some),
ranked by

    (sources, languages, latest, story id), each descending

where, over the story's versions in the window, `sources` is the number of distinct sources
(theirs and their copies'), `languages` the number of distinct original languages, and `latest`
the newest version's date (the listing's sort_at). A story five newsrooms report in two languages
comes before one a single source published a minute ago; recency settles ties. The window is one
range of the listings' (language, sort_at) index; versions and copies are joined by key, so the
cost follows the articles in the window, never the size of the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from babelwire.store.articles import PublishedArticle, PublishedRow, article_from_row, published_query
from babelwire.store.models import ItemRow, ItemStatus, ListingRow, SourceRow, TranslationRow, UTCDateTime

TOP_WINDOW = timedelta(days=3)  # the clustering window: a story older than that takes no new articles


@dataclass(frozen=True)
class StoryNumbers:
    """What ranks a story: its distinct sources and original languages, its versions, its newest date."""

    story_id: int
    sources: int
    languages: int
    versions: int
    latest: datetime


@dataclass(frozen=True)
class AlsoPublished:
    """A copy of an article: the same text another source published under its own URL."""

    item_id: int
    copy_of_id: int
    source_id: int
    source_name: str
    url: str  # the copy's original URL: third-party data, an href only when it is a web link
    published: datetime | None


@dataclass(frozen=True)
class StorySummary:
    """A story as a list shows it: its numbers, its lead article and the names of its sources.

    The lead is the newest version written in the reader's language (no translation in the
    headline), else the newest version."""

    numbers: StoryNumbers
    lead_row: PublishedRow
    source_names: tuple[str, ...]

    @property
    def id(self) -> int:
        return self.numbers.story_id

    @cached_property
    def lead(self) -> PublishedArticle:
        return article_from_row(*self.lead_row)


@dataclass(frozen=True)
class Story:
    """One story in one language: every version, newest first, each with its copies."""

    numbers: StoryNumbers
    language: str
    version_rows: tuple[PublishedRow, ...]
    copies: dict[int, tuple[AlsoPublished, ...]]  # by the id of the version they copy

    @property
    def id(self) -> int:
        return self.numbers.story_id

    @cached_property
    def versions(self) -> tuple[PublishedArticle, ...]:
        return tuple(article_from_row(*row) for row in self.version_rows)

    @property
    def lead(self) -> PublishedArticle:
        return self.versions[_lead_index([a.source_language for a in self.versions], self.language)]

    @property
    def source_names(self) -> tuple[str, ...]:
        names = [a.source_name for a in self.versions]
        names += [c.source_name for found in self.copies.values() for c in found]
        return _distinct_names(names)


@dataclass(frozen=True)
class StoryBrief:
    """What a page says about an article's story: which one, its headline, how many versions."""

    numbers: StoryNumbers
    title: str

    @property
    def id(self) -> int:
        return self.numbers.story_id


def _lead_index(original_languages: Sequence[str], language: str) -> int:
    """The lead among versions newest first: the first written in `language`, else the first."""
    return next((i for i, code in enumerate(original_languages) if code == language), 0)


def _distinct_names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(names), key=lambda name: (name.casefold(), name)))


def _numbers_query(language: str, *conditions: ColumnElement[bool]) -> Select[int, int, int, datetime, int]:
    """Each story's numbers over its versions that meet `conditions` (on ListingRow or ItemRow)."""
    listed = (
        select()
        .select_from(ListingRow)
        .join(ItemRow, ItemRow.id == ListingRow.item_id)
        .where(ListingRow.language == language, ItemRow.story_id.is_not(None), *conditions)
    )
    copy = aliased(ItemRow)
    versions = listed.join(TranslationRow, TranslationRow.key == ListingRow.translation_key).add_columns(
        ItemRow.story_id.label("story_id"),
        ListingRow.source_id.label("source_id"),
        TranslationRow.source_lang.label("original"),
        ListingRow.sort_at.label("sort_at"),
        literal_column("1", Integer).label("version"),
    )
    nothing = (cast(null(), String), cast(null(), UTCDateTime()), literal_column("0", Integer))
    copies = (
        listed.join(copy, copy.copy_of_id == ItemRow.id)
        .add_columns(ItemRow.story_id, copy.source_id, *nothing)
        .where(func.lower(copy.status) == ItemStatus.DUPLICATE)  # lower(): see _members
    )
    both = union_all(versions, copies).subquery()
    return select(
        both.c.story_id,
        func.count(func.distinct(both.c.source_id)).label("sources"),
        func.count(func.distinct(both.c.original)).label("languages"),
        func.max(both.c.sort_at).label("latest"),
        func.sum(both.c.version).label("versions"),
    ).group_by(both.c.story_id)


def _numbers(row: tuple[int, int, int, datetime, int]) -> StoryNumbers:
    story_id, sources, languages, latest, versions = row
    stamp = latest if latest.tzinfo else latest.replace(tzinfo=UTC)  # SQLite: a union drops the type
    return StoryNumbers(int(story_id), int(sources), int(languages), int(versions), stamp)


def _members(story_ids: Iterable[int]) -> ColumnElement[bool]:
    """Listings of the items of these stories, found by the items' story index, then by key.

    Queries with it are not ordered in SQL (their rows are few, and sorted in Python): an ORDER BY
    sort_at lets SQLite, which keeps no statistics here, walk the language's whole (language,
    sort_at) index instead; for the same reason a copy's status is compared through lower(), so
    copies are read by copy_of_id, never by the status index (every copy there is)."""
    return ListingRow.item_id.in_(select(ItemRow.id).where(ItemRow.story_id.in_(sorted(set(story_ids)))))


def window_start(session: Session, language: str, window: timedelta, now: datetime | None = None) -> datetime:
    """Where the top stories' window starts: `window` before the newest listed article, or before
    now if that is earlier (an article dated in the future must not empty the window)."""
    now = now or datetime.now(UTC)
    newest = session.scalar(select(func.max(ListingRow.sort_at)).where(ListingRow.language == language))
    if newest is None:
        return now - window
    newest = newest if newest.tzinfo else newest.replace(tzinfo=UTC)
    return min(newest, now) - window


def count_top_stories(session: Session, language: str, since: datetime) -> int:
    """How many stories have a version listed in `language` since `since`."""
    query = (
        select(func.count(func.distinct(ItemRow.story_id)))
        .select_from(ListingRow)
        .join(ItemRow, ItemRow.id == ListingRow.item_id)
        .where(ListingRow.language == language, ListingRow.sort_at >= since, ItemRow.story_id.is_not(None))
    )
    return int(session.scalar(query) or 0)


def top_story_numbers(
    session: Session, language: str, since: datetime, *, limit: int, offset: int = 0
) -> list[StoryNumbers]:
    """The ranked numbers of the stories with versions since `since` (the module's formula)."""
    ranked = _numbers_query(language, ListingRow.sort_at >= since).subquery()
    query = (
        select(ranked.c.story_id, ranked.c.sources, ranked.c.languages, ranked.c.latest, ranked.c.versions)
        .order_by(
            ranked.c.sources.desc(),
            ranked.c.languages.desc(),
            ranked.c.latest.desc(),
            ranked.c.story_id.desc(),
        )
        .limit(limit)
        .offset(offset)
    )
    return [_numbers(row) for row in session.execute(query)]


def story_numbers(session: Session, language: str, story_ids: Iterable[int]) -> dict[int, StoryNumbers]:
    """The numbers of these stories over all their versions in `language` (none listed: absent)."""
    ids = set(story_ids)
    if not ids:
        return {}
    rows = session.execute(_numbers_query(language, _members(ids)))
    return {numbers.story_id: numbers for numbers in map(_numbers, rows)}


@dataclass(frozen=True)
class _Version:
    """A listed version as the cards need it, without its body."""

    story_id: int
    item_id: int
    original: str  # its original language
    title: str  # in the reader's language
    source_name: str


def _listed_versions(session: Session, language: str, story_ids: Iterable[int]) -> list[_Version]:
    """The versions of these stories that `language` lists, newest first."""
    ids = set(story_ids)
    if not ids:
        return []
    query = (
        select(
            ItemRow.story_id,
            ListingRow.item_id,
            TranslationRow.source_lang,
            TranslationRow.title,
            SourceRow.name,
            ListingRow.sort_at,
        )
        .select_from(ListingRow)
        .join(ItemRow, ItemRow.id == ListingRow.item_id)
        .join(TranslationRow, TranslationRow.key == ListingRow.translation_key)
        .join(SourceRow, SourceRow.id == ListingRow.source_id)
        .where(ListingRow.language == language, _members(ids))
    )
    found = sorted(session.execute(query), key=lambda row: (row[-1], row[1]), reverse=True)
    return [
        _Version(story_id, item_id, original, title, name)
        for story_id, item_id, original, title, name, _ in found
        if story_id is not None  # the join on the story index: always
    ]


def _by_story(versions: Iterable[_Version]) -> dict[int, list[_Version]]:
    found: dict[int, list[_Version]] = {}
    for version in versions:
        found.setdefault(version.story_id, []).append(version)
    return found


def _lead(versions: list[_Version], language: str) -> _Version:
    return versions[_lead_index([v.original for v in versions], language)]


def copies_of(session: Session, item_ids: Iterable[int]) -> dict[int, tuple[AlsoPublished, ...]]:
    """The copies of these articles ("also published by"), oldest first, by the article they copy."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(
            ItemRow.id,
            ItemRow.copy_of_id,
            ItemRow.status,
            ItemRow.url,
            ItemRow.published_at,
            SourceRow.id,
            SourceRow.name,
        )
        .join(SourceRow, SourceRow.id == ItemRow.source_id)
        .where(ItemRow.copy_of_id.in_(ids))
    )
    found: dict[int, list[AlsoPublished]] = {}
    for item_id, copy_of, status, url, published, source_id, source_name in sorted(
        rows
    ):  # by id: oldest first
        if status == ItemStatus.DUPLICATE and copy_of is not None:  # checked here: the copy_of index serves
            found.setdefault(copy_of, []).append(
                AlsoPublished(item_id, copy_of, source_id, source_name, url, published)
            )
    return {item_id: tuple(copies) for item_id, copies in found.items()}


def summaries(session: Session, language: str, ranked: Sequence[StoryNumbers]) -> list[StorySummary]:
    """These stories as a list shows them, in the order given (a story `language` no longer lists
    any version of is left out)."""
    grouped = _by_story(_listed_versions(session, language, (n.story_id for n in ranked)))
    copies = copies_of(session, (v.item_id for found in grouped.values() for v in found))
    leads = {story_id: _lead(found, language).item_id for story_id, found in grouped.items()}
    rows = session.execute(published_query(language).where(ListingRow.item_id.in_(leads.values())))
    lead_rows: dict[int, PublishedRow] = {row[0].id: (row[0], row[1], row[2], row[3]) for row in rows}
    result = []
    for numbers in ranked:
        found = grouped.get(numbers.story_id, [])
        lead = lead_rows.get(leads.get(numbers.story_id, 0))
        if lead is None:
            continue
        copied = [c.source_name for v in found for c in copies.get(v.item_id, ())]
        names = [v.source_name for v in found] + copied
        result.append(StorySummary(numbers, lead, _distinct_names(names)))
    return result


def top_stories(
    session: Session,
    language: str,
    *,
    limit: int,
    offset: int = 0,
    window: timedelta = TOP_WINDOW,
    now: datetime | None = None,
) -> tuple[list[StorySummary], int]:
    """A page of the language's top stories (the module's formula) and how many there are."""
    since = window_start(session, language, window, now)
    total = count_top_stories(session, language, since)
    if total == 0 or offset >= total:
        return [], total
    ranked = top_story_numbers(session, language, since, limit=limit, offset=offset)
    return summaries(session, language, ranked), total


def story_rows(session: Session, language: str, story_id: int) -> list[PublishedRow]:
    """Every version of the story that `language` lists, newest first, whole."""
    query = published_query(language).where(_members([story_id])).add_columns(ListingRow.sort_at)
    found = sorted(session.execute(query), key=lambda row: (row[-1], row[0].id), reverse=True)
    return [(row[0], row[1], row[2], row[3]) for row in found]


def get_story(session: Session, language: str, story_id: int) -> Story | None:
    """The story with every version `language` lists and their copies; None when it lists none."""
    numbers = story_numbers(session, language, [story_id]).get(story_id)
    rows = story_rows(session, language, story_id) if numbers else []
    if numbers is None or not rows:
        return None
    copies = copies_of(session, (row[0].id for row in rows))
    return Story(numbers, language, tuple(rows), copies)


def story_briefs(session: Session, language: str, item_ids: Iterable[int]) -> dict[int, StoryBrief]:
    """The story of each of these articles that `language` lists (search groups by it)."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    found = session.execute(  # only articles the language lists: a held one shows no story
        select(ItemRow.id, ItemRow.story_id)
        .join(ListingRow, ListingRow.item_id == ItemRow.id)
        .where(ListingRow.language == language, ItemRow.id.in_(ids), ItemRow.story_id.is_not(None))
    )
    story_of = {item_id: story_id for item_id, story_id in found if story_id is not None}
    numbers = story_numbers(session, language, story_of.values())
    grouped = _by_story(_listed_versions(session, language, numbers))
    briefs = {
        story_id: StoryBrief(numbers[story_id], _lead(found, language).title)
        for story_id, found in grouped.items()
        if story_id in numbers
    }
    return {item_id: briefs[story_id] for item_id, story_id in story_of.items() if story_id in briefs}


def story_of_item(session: Session, language: str, item_id: int) -> StoryBrief | None:
    """The story of one listed article (its page says "part of this story")."""
    return story_briefs(session, language, [item_id]).get(item_id)


def story_languages(session: Session, story_id: int, languages: list[str]) -> list[str]:
    """Which of `languages` list a version of the story (the language switcher), in the order given."""
    found = set(session.scalars(select(ListingRow.language).where(_members([story_id])).distinct()))
    return [code for code in languages if code in found]
