"""JSON API under /api/v1: published articles, sources, held translations.

Reads of published things are public; everything else needs `Authorization: Bearer <token>`
(`babelwire admin create-token`). Held translations count as "everything else": the editor
stopped them, so they are not public until a person releases them. Errors are JSON
(`{"detail": ...}`), never the site's HTML error page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.store.articles import published_query
from babelwire.store.held import HeldTranslation, decide_held, held_translations
from babelwire.store.models import DocumentRow, ItemRow, SourceRow, TranslationRow
from babelwire.web import auth
from babelwire.web.api_models import (
    LANGUAGE_PATTERN,
    ArticleDetail,
    ArticlePage,
    HeldOut,
    Problem,
    SourceCreate,
    SourceOut,
    SourcePatch,
    article_detail,
    article_summary,
)
from babelwire.web.deps import AppSettings, DbSession, render

PREFIX = "/api/v1"
MAX_PAGE = 100
ArticleSelect = Select[ItemRow, DocumentRow, TranslationRow, SourceRow]

bearer = HTTPBearer(auto_error=False, description="A token from `babelwire admin create-token NAME`.")
router = APIRouter(prefix=PREFIX, tags=["api"], responses={404: {"model": Problem}})
ERRORS_401: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No token, or a wrong one."}
}


class APIError(HTTPException):
    """An HTTP error the API answers as JSON (the site answers other errors with a page)."""


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def require_token(
    session: DbSession, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> str:
    """The name of a valid API token, or 401 with a WWW-Authenticate challenge."""
    if credentials is None:
        raise APIError(
            401,
            "this needs an API token: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": 'Bearer realm="babelwire"'},
        )
    name = auth.verify_token(session, credentials.credentials)
    if name is None:
        raise APIError(
            401,
            "invalid or revoked API token",
            headers={"WWW-Authenticate": 'Bearer realm="babelwire", error="invalid_token"'},
        )
    session.commit()  # last_used_at
    return name


Token = Annotated[str, Depends(require_token)]


def _language(settings: Settings, lang: str | None) -> str:
    chosen = lang or settings.target_languages[0]
    if chosen not in settings.target_languages:
        raise APIError(
            404,
            f"this site does not publish in {chosen!r}; it does in {', '.join(settings.target_languages)}",
        )
    return chosen


# --- articles -----------------------------------------------------------------------------


def _published_at() -> Any:
    return func.coalesce(DocumentRow.published_at, ItemRow.published_at, ItemRow.site_published_at)


def _filtered(
    language: str, source: int | None, since: datetime | None, until: datetime | None
) -> ArticleSelect:
    query = published_query(language)
    if source is not None:
        query = query.where(ItemRow.source_id == source)
    if since is not None:
        query = query.where(_published_at() >= since)
    if until is not None:
        query = query.where(_published_at() < until)
    return query


def _search_ids(session: Session, language: str, q: str, limit: int, offset: int) -> tuple[list[int], int]:
    try:  # search lands separately; without it the API still serves everything else
        from babelwire.store.search import search_articles
    except ImportError as exc:
        raise APIError(501, "full-text search is not available in this build") from exc
    found, total = search_articles(session, language, q, limit=limit, offset=offset)
    return [article.id for article in found], int(total)


@router.get("/articles", response_model=ArticlePage, summary="Published articles, newest first")
def list_articles(
    session: DbSession,
    settings: AppSettings,
    lang: Annotated[str | None, Query(description="Target language; default: the site's first.")] = None,
    source: Annotated[int | None, Query(description="Only this source (id).")] = None,
    since: Annotated[datetime | None, Query(description="Published at or after (ISO 8601).")] = None,
    until: Annotated[datetime | None, Query(description="Published before (ISO 8601).")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="Full-text search.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ArticlePage:
    language = _language(settings, lang)
    if q is not None:
        if source is not None or since is not None or until is not None:
            raise APIError(400, "q cannot be combined with source, since or until (yet): search, then filter")
        ids, total = _search_ids(session, language, q, limit, offset)
        rows = {
            r[0].id: r
            for r in session.execute(_filtered(language, None, None, None).where(ItemRow.id.in_(ids)))
        }
        ordered = [rows[i] for i in ids if i in rows]
    else:
        query = _filtered(language, source, since, until)
        total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        ordered = list(
            session.execute(
                query.order_by(_published_at().desc(), ItemRow.id.desc()).limit(limit).offset(offset)
            )
        )
    items = [article_summary(row, settings.base_url) for row in ordered]
    return ArticlePage(total=total, limit=limit, offset=offset, items=items)


@router.get(
    "/articles/{article_id}", response_model=ArticleDetail, summary="One article, sentence by sentence"
)
def show_article(
    article_id: int, session: DbSession, settings: AppSettings, lang: str | None = None
) -> ArticleDetail:
    """The translation with each source sentence beside it and the automated editor's findings."""
    language = _language(settings, lang)
    row = session.execute(_filtered(language, None, None, None).where(ItemRow.id == article_id)).first()
    if row is None:
        raise APIError(404, f"no published article {article_id} in {language!r}")
    return article_detail(row, settings.base_url)


# --- sources ------------------------------------------------------------------------------


def _source(session: Session, source_id: int) -> SourceRow:
    row = session.get(SourceRow, source_id)
    if row is None:
        raise APIError(404, f"no source {source_id}")
    return row


def add_source(session: Session, data: SourceCreate) -> SourceRow:
    """Insert a source (shared with the admin form); ValueError when its URL is known already."""
    if session.scalar(select(SourceRow.id).where(SourceRow.url == data.url)) is not None:
        raise ValueError(f"a source with the URL {data.url} exists already")
    row = SourceRow(
        url=data.url,
        name=data.name or urlsplit(data.url).hostname or data.url,
        kind="feed",
        language=data.language,
        enabled=data.enabled,
        excerpt_only=data.excerpt_only,
        error_count=0,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # added by someone else a moment ago
        session.rollback()
        raise ValueError(f"a source with the URL {data.url} exists already") from exc
    return row


def patch_source(row: SourceRow, data: SourcePatch) -> None:
    for field in data.model_fields_set:
        value = getattr(data, field)
        if value is None and field != "language":
            continue  # only the language can be unset
        setattr(row, field, value)


@router.get("/sources", response_model=list[SourceOut], summary="Every source, with its state")
def list_sources(session: DbSession) -> list[SourceOut]:
    rows = session.scalars(select(SourceRow).order_by(SourceRow.id))
    return [SourceOut.model_validate(row) for row in rows]


@router.post(
    "/sources",
    response_model=SourceOut,
    status_code=201,
    summary="Add a source",
    responses={**ERRORS_401, 409: {"model": Problem}},
)
def create_source(data: SourceCreate, session: DbSession, _token: Token) -> SourceOut:
    try:
        row = add_source(session, data)
    except ValueError as exc:
        raise APIError(409, str(exc)) from exc
    session.commit()
    return SourceOut.model_validate(row)


@router.patch(
    "/sources/{source_id}", response_model=SourceOut, summary="Change a source", responses=ERRORS_401
)
def update_source(source_id: int, data: SourcePatch, session: DbSession, _token: Token) -> SourceOut:
    """Rename, set the language, enable or disable, switch excerpt-only."""
    row = _source(session, source_id)
    patch_source(row, data)
    session.commit()
    return SourceOut.model_validate(row)


# --- held translations --------------------------------------------------------------------


def _held(entry: HeldTranslation) -> HeldOut:
    return HeldOut.model_validate(entry, from_attributes=True)  # the same fields; findings are dicts


@router.get(
    "/held", response_model=list[HeldOut], summary="Translations waiting for a person", responses=ERRORS_401
)
def list_held(session: DbSession, _token: Token, include_rejected: bool = False) -> list[HeldOut]:
    return [_held(e) for e in held_translations(session, include_rejected=include_rejected)]


LangParam = Annotated[str, Query(pattern=LANGUAGE_PATTERN, description="Target language of the translation.")]


def _decide(session: Session, item_id: int, lang: str, *, release: bool) -> HeldOut:
    decided = decide_held(session, item_id, lang, release=release)
    if decided is None:
        session.rollback()
        raise APIError(404, f"no held {lang!r} translation for item {item_id}")
    session.commit()
    return _held(decided)


@router.post(
    "/held/{item_id}/release",
    response_model=HeldOut,
    summary="Publish a held translation",
    responses=ERRORS_401,
)
def release_held(item_id: int, lang: LangParam, session: DbSession, _token: Token) -> HeldOut:
    return _decide(session, item_id, lang, release=True)


@router.post(
    "/held/{item_id}/reject",
    response_model=HeldOut,
    summary="Refuse a held translation",
    responses=ERRORS_401,
)
def reject_held(item_id: int, lang: LangParam, session: DbSession, _token: Token) -> HeldOut:
    return _decide(session, item_id, lang, release=False)


# --- docs and the rest --------------------------------------------------------------------


def openapi_schema(request: Request) -> dict[str, Any]:
    """The API's own schema (the site's pages are not part of it), built once per app."""
    cached: dict[str, Any] | None = getattr(request.app.state, "api_schema", None)
    if cached is None:
        settings: Settings = request.app.state.settings
        cached = get_openapi(
            title=f"{settings.site_title} API", version="1", routes=router.routes, description=__doc__ or ""
        )
        request.app.state.api_schema = cached
    return cached


def register(app: FastAPI, settings: Settings) -> None:
    """Mount the API on the app: routes, JSON errors, and (when enabled) the schema and docs."""
    app.add_exception_handler(APIError, api_error)
    app.include_router(router)
    if settings.web.api_docs:
        app.include_router(docs_router)
    app.include_router(fallback_router)


docs_router = APIRouter(prefix=PREFIX, include_in_schema=False)
fallback_router = APIRouter(prefix=PREFIX, include_in_schema=False)


@docs_router.get("/openapi.json")
def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(openapi_schema(request))


@docs_router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request, settings: AppSettings) -> HTMLResponse:
    """A reference page rendered on the server from the schema: no script, so the CSP holds."""
    schema = openapi_schema(request)
    return render(
        request,
        "admin/api_docs.html",
        lang=settings.target_languages[0],
        schema=schema,
        schemas=schema.get("components", {}).get("schemas", {}),
        type_of=schema_type,
    )


def schema_type(schema: dict[str, Any]) -> str:
    """A JSON schema as a short type name for the docs page: `list[SourceOut]`, `string | null`."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(schema_type(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{schema_type(schema.get('items', {}))}]"
    kind, fmt = str(schema.get("type", "any")), schema.get("format")
    return f"{kind} ({fmt})" if fmt else kind


@fallback_router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(path: str) -> None:
    raise APIError(404, f"no such API endpoint: {PREFIX}/{path}")
