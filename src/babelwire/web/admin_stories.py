"""Admin: the stories of a source's articles, and moving an article to another story or a new one.

The move is store/story_moves.py's (the item's story_id, a `moved` event in the stories log that
every process replays, a new story's id in the same transaction); here is its form, behind the
admin login and the session's CSRF token like every admin form. A refused move (an item without a
story, a copy, a story that does not exist) is shown on the form with its reason, nothing written.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from babelwire.store.models import MAX_ROW_ID, ItemRow, SourceRow
from babelwire.store.story_history import item_history, story_history
from babelwire.store.story_moves import MoveError, move_item
from babelwire.web import auth
from babelwire.web.admin import Admin, Csrf, page, redirect
from babelwire.web.deps import DbSession, RowId

RECENT_ITEMS = 100
BAD_STORY = f"story: a story number (1 to {MAX_ROW_ID}), or empty to start a new story"
router = APIRouter(prefix="/admin", include_in_schema=False)


def _item(session: Session, item_id: int) -> ItemRow:
    item = session.get(ItemRow, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail=f"no item {item_id}")
    return item


def _members(session: Session, story_id: int | None) -> list[tuple[ItemRow, str]]:
    """Every item in the story, whatever its status (the admin sees what readers do not), oldest first."""
    if story_id is None:
        return []
    rows = session.execute(
        select(ItemRow, SourceRow.name)
        .join(SourceRow, SourceRow.id == ItemRow.source_id)
        .where(ItemRow.story_id == story_id)
        .order_by(ItemRow.id)
    )
    return list(rows)


def _item_page(
    request: Request, session: Session, item: ItemRow, *, status: int = 200, **context: Any
) -> Response:
    source = session.get(SourceRow, item.source_id)
    history = story_history(session, item.story_id) if item.story_id is not None else []
    return page(
        request,
        "item_story.html",
        status=status,
        item=item,
        source=source,
        members=_members(session, item.story_id),
        item_events=item_history(session, item.id),
        story_events=history,
        **context,
    )


@router.get("/sources/{source_id}/items", response_class=HTMLResponse, dependencies=[Admin])
def source_items(request: Request, source_id: RowId, session: DbSession) -> Response:
    """The source's newest articles with their status and story, each a link to its story form."""
    source = session.get(SourceRow, source_id)
    if source is None:
        raise HTTPException(status_code=404, detail=f"no source {source_id}")
    items = session.scalars(
        select(ItemRow).where(ItemRow.source_id == source_id).order_by(ItemRow.id.desc()).limit(RECENT_ITEMS)
    ).all()
    return page(request, "source_items.html", source=source, items=items, limit=RECENT_ITEMS)


@router.get("/items/{item_id}/story", response_class=HTMLResponse, dependencies=[Admin])
def item_story(request: Request, item_id: RowId, session: DbSession) -> Response:
    return _item_page(request, session, _item(session, item_id))


def _story_number(text: str) -> int | None:
    """The form's story field: a story id, or None (empty) for a new story; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ROW_ID:
        raise ValueError(BAD_STORY)
    return int(text)


@router.post("/items/{item_id}/story", response_class=HTMLResponse, dependencies=[Admin, Csrf])
def move(
    request: Request, item_id: RowId, session: DbSession, story: Annotated[str, Form(max_length=20)] = ""
) -> Response:
    """Move the article (and its copies) to story `story`, or to a new story when it is empty."""
    _item(session, item_id)  # 404 before anything else
    try:
        moved = move_item(session, item_id, _story_number(story), actor=auth.ADMIN)
    except ValueError as exc:  # MoveError or the form's number: nothing was written
        session.rollback()
        status = 400 if not isinstance(exc, MoveError) else 409
        return _item_page(
            request, session, _item(session, item_id), status=status, errors=[str(exc)], story=story
        )
    except IntegrityError:  # the stage made a story with that id a moment ago
        session.rollback()
        error = "another process started a story at the same moment: send the form again"
        return _item_page(request, session, _item(session, item_id), status=409, errors=[error], story=story)
    session.commit()
    copies = (
        f" with its {len(moved.copies)} cop{'y' if len(moved.copies) == 1 else 'ies'}" if moved.copies else ""
    )
    made = "a new story, " if moved.created else ""
    done = f"Item {item_id}{copies} moved from story {moved.old_story_id} to {made}story {moved.story_id}."
    return redirect(request, f"/items/{item_id}/story", done)
