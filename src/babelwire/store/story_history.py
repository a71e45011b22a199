"""An article's and a story's history, read from the stories stage's log (story_events).

The log is what the stage decided, in order: an article placed in a story, found to be a copy of
another, or moved by a person. Read by the items' index: an article's history is its own events; a
story's is the events of the articles in it now and of their copies, so it shows where each came
from (an article a person moved out of the story since is in its new story's history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from babelwire.store.models import ItemRow, StoryEventRow


@dataclass(frozen=True)
class StoryEvent:
    """One decision about one article: `kind` is placed, copy or moved; `actor` None: the stage."""

    seq: int
    item_id: int
    item_title: str  # the feed's title, in the original language
    kind: str
    story_id: int | None
    copy_of_id: int | None
    score: float | None
    published_at: datetime
    actor: str | None
    created_at: datetime


def _events(session: Session, condition: ColumnElement[bool]) -> list[StoryEvent]:
    rows = session.execute(
        select(StoryEventRow, ItemRow.title)
        .join(ItemRow, ItemRow.id == StoryEventRow.item_id)
        .where(condition)
        .order_by(StoryEventRow.seq)
    )
    return [
        StoryEvent(
            seq=event.seq,
            item_id=event.item_id,
            item_title=title,
            kind=event.kind,
            story_id=event.story_id,
            copy_of_id=event.copy_of_id,
            score=event.score,
            published_at=event.published_at,
            actor=event.actor,
            created_at=event.created_at,
        )
        for event, title in rows
    ]


def item_history(session: Session, item_id: int) -> list[StoryEvent]:
    """Every decision about this article, oldest first."""
    return _events(session, StoryEventRow.item_id == item_id)


def story_history(session: Session, story_id: int) -> list[StoryEvent]:
    """Every decision about the articles in this story now and their copies, oldest first."""
    members = select(ItemRow.id).where(ItemRow.story_id == story_id)
    copies = select(ItemRow.id).where(ItemRow.copy_of_id.in_(members))
    return _events(session, or_(StoryEventRow.item_id.in_(members), StoryEventRow.item_id.in_(copies)))
