"""What every route needs: settings, a database session, the template renderer, the language check.

Routers live one per concern (pages, feeds, api, admin, metrics) and take these as FastAPI
dependencies; `create_app` puts the shared objects on `app.state`. A route that only reads takes
`ReadSession`: on SQLite it never waits for the write lock the pipeline's writers take, so a news
spike's readers do not queue behind them or behind each other (store/db.py). A route that writes,
even as a side effect of a GET (admin logins, token use, WebSub verifications), takes `DbSession`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.store.models import MAX_ROW_ID


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_session(request: Request) -> Iterator[Session]:
    with get_store(request).session() as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    with get_store(request).read_session() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]
ReadSession = Annotated[Session, Depends(get_read_session)]
AppSettings = Annotated[Settings, Depends(get_settings)]
# An article's or source's id in a path: past the columns' range it is a 404, not a database overflow.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def check_language(settings: Settings, lang: str) -> str:
    if lang not in settings.target_languages:
        raise HTTPException(status_code=404, detail=f"this site does not publish in {lang!r}")
    return lang


def render(request: Request, template: str, status: int = 200, **context: object) -> HTMLResponse:
    """Render a page template with the site-wide context (title, languages, current path)."""
    settings = get_settings(request)
    env: Environment = request.app.state.templates
    base = {"site_title": settings.site_title, "languages": settings.target_languages,
            "request_path": request.url.path, "settings": settings}  # fmt: skip
    return HTMLResponse(env.get_template(template).render({**base, **context}), status_code=status)
