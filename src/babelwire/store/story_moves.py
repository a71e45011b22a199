"""A person moves an article to another story, or to a new one (the admin's form).

The move is written where the stories stage reads it: the item's `story_id`, and a `moved` event in
the stage's log (story_events), which every process replays, so each one takes the article out of
its old story's centroid and into the new one's (stories/wire.py `replay_move`). The event carries
the terms of the item's last placement, so the new story learns what the article is about. A new
story takes the next id (the largest + 1) in the same transaction; a story id, once given, never
changes. The article's copies (the same text under other URLs, listed under it) move with it, each
with its own event, so a copy never sits in another story than the article it copies.

Readers see the move at once: a published item's story_id is a change readers can see
(store/changes.py), so the flush bumps the site's generation and every page cache empties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from babelwire.store.models import MAX_ROW_ID, ItemRow, ItemStatus, StoryEventRow, StoryRow, utcnow

MOVED = "moved"
PLACED = "placed"
STAGE = "the stories stage"  # the actor of the moves the stage makes itself (a story split)
STORIES_LOCK = 0x6261_6265_6C77  # "babelw": PostgreSQL advisory lock key of the stories stage


def lock_stories(session: Session) -> None:
    """Wait for the stories lock, held to the end of the transaction: the stories stage decides
    under it, and a move takes it too, so a new story's id (the largest + 1) is taken by one
    transaction at a time. PostgreSQL only: on SQLite every writing transaction holds the
    database's write lock. Re-entrant: the stage's own moves (splits) take it again at no cost."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STORIES_LOCK})


def split_actor(story_id: int) -> str:
    """Who moved an article out of a story that split (stories/splits.py), as the history shows it."""
    return f"{STAGE}: story {story_id} split"


def moved_by_person(actor: str | None) -> bool:
    """Whether a `moved` event is a person's (the stage never splits their decision up again)."""
    return actor is not None and not actor.startswith(STAGE)


class MoveError(ValueError):
    """A move the store refuses; the message says why and what to do instead, in one line."""


@dataclass(frozen=True)
class Moved:
    """What a move did: the article, the story it left and the one it joined, and its copies."""

    item_id: int
    old_story_id: int
    story_id: int
    created: bool  # the story is new
    copies: tuple[int, ...]


def _item(session: Session, item_id: int) -> ItemRow:
    item = session.get(ItemRow, item_id)
    if item is None:
        raise MoveError(f"there is no item {item_id}")
    if item.status == ItemStatus.DUPLICATE:
        original = item.copy_of_id
        raise MoveError(
            f"item {item_id} is a copy of item {original}: move item {original}, its copies follow it"
        )
    if item.story_id is None:
        raise MoveError(
            f"item {item_id} has no story yet (status {item.status}): the stories stage gives it one after "
            "translation; move it then"
        )
    return item


def _target(session: Session, item: ItemRow, story_id: int | None, moment: datetime) -> tuple[StoryRow, bool]:
    """The story to move to, made when `story_id` is None (the next id, in this transaction)."""
    if story_id is None:
        new_id = int(session.scalar(select(func.max(StoryRow.id))) or 0) + 1
        if new_id > MAX_ROW_ID:
            raise MoveError(f"story ids are used up to {MAX_ROW_ID}: no new story can be made")
        story = StoryRow(id=new_id, created_at=moment, last_seen_at=moment)
        session.add(story)
        return story, True
    if story_id == item.story_id:
        raise MoveError(f"item {item.id} is in story {story_id} already")
    found = session.get(StoryRow, story_id)
    if found is None:
        raise MoveError(
            f"there is no story {story_id}: give an existing story's number, or none for a new story"
        )
    return found, False


def _last_terms(session: Session, item_id: int) -> str:
    """The terms of the item's last placement (the stage's, in the common language); "{}" if none."""
    terms = session.scalar(
        select(StoryEventRow.terms_json)
        .where(StoryEventRow.item_id == item_id, StoryEventRow.kind == PLACED)
        .order_by(StoryEventRow.seq.desc())
        .limit(1)
    )
    return terms or "{}"


def _date(item: ItemRow, moment: datetime) -> datetime:
    """When the article happened, as the stage dates it: its own date, else now."""
    document = item.document
    return item.published_at or (document.published_at if document is not None else None) or moment


def move_item(
    session: Session,
    item_id: int,
    story_id: int | None,
    *,
    actor: str,
    now: datetime | None = None,
    published: datetime | None = None,
) -> Moved:
    """Move the item (and its copies) to story `story_id`, or to a new story when it is None.

    `published` is the item's date as the stories stage placed it, when the stage moves it (a
    split): every process replays the move at that date, as the stage made it.
    Flushed, not committed: the caller commits (or rolls back on MoveError, raised before any write)."""
    moment = now or utcnow()
    lock_stories(session)
    item = _item(session, item_id)
    story, created = _target(session, item, story_id, moment)
    old_story_id = item.story_id
    assert old_story_id is not None  # _item refuses an item without a story
    copies = list(
        session.scalars(
            select(ItemRow).where(ItemRow.copy_of_id == item.id, ItemRow.status == ItemStatus.DUPLICATE)
        )
    )
    published = published or _date(item, moment)
    story.last_seen_at = max(story.last_seen_at, published) if not created else published
    session.flush()  # the new story's row before the items point at it
    for row in (item, *copies):
        session.add(
            StoryEventRow(
                item_id=row.id,
                kind=MOVED,
                story_id=story.id,
                copy_of_id=row.copy_of_id,
                published_at=published if row is item else _date(row, moment),
                terms_json=_last_terms(session, row.id) if row is item else "{}",
                actor=actor,
                created_at=moment,
            )
        )
        row.story_id = story.id
    session.flush()
    return Moved(item.id, old_story_id, story.id, created, tuple(row.id for row in copies))
