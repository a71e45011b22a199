"""JSON API under /api/v1: published articles, sources, held translations.

Reads of published things are public; everything else needs `Authorization: Bearer <token>`
(`babelwire admin create-token`). Held translations count as "everything else": the editor
stopped them, so they are not public until a person releases them. Errors are JSON
(`{"detail": ...}`), never the site's HTML error page; every status a route gives is in its
OpenAPI responses (api_http.py has the token, error and method rules).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, FastAPI, Path, Query, Request, Response
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.store.articles import count_listed, published_query, published_row
from babelwire.store.held import HeldTranslation, decide_held, held_translations
from babelwire.store.keyset import CURSOR_PATTERN, Slice, Window, read_window
from babelwire.store.models import ListingRow, SourceRow
from babelwire.store.search import matching
from babelwire.store.stories import copies_of
from babelwire.web.api_http import (
    BAD_BODY,
    MAX_ID,
    NOT_FOUND,
    PREFIX,
    UNAUTHORIZED,
    APIError,
    Token,
    TokenFirstRoute,
    api_error,
    problem,
    unmatched,
)
from babelwire.web.api_models import (
    ArticleDetail,
    ArticlePage,
    HeldOut,
    LanguageCode,
    SourceCreate,
    SourceOut,
    SourcePatch,
    Timestamp,
    article_detail,
    article_summary,
)
from babelwire.web.deps import AppSettings, DbSession, ReadSession, render

MAX_PAGE = 100
router = APIRouter(prefix=PREFIX, tags=["api"], route_class=TokenFirstRoute, responses=NOT_FOUND)
# Ids are bounded in the schema: a larger one is a 422 there, never an overflow in the database.
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID)]
SourceId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
Lang = Annotated[str | None, Query(max_length=12, description="Target language; default: the site's first.")]


def _language(settings: Settings, lang: str | None) -> str:
    chosen = lang or settings.target_languages[0]
    if chosen not in settings.target_languages:
        raise APIError(
            404,
            f"this site does not publish in {chosen!r}; it does in {', '.join(settings.target_languages)}",
        )
    return chosen


# --- articles -----------------------------------------------------------------------------


def _filters(
    session: Session,
    language: str,
    *,
    source: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    q: str | None = None,
) -> list[ColumnElement[bool]]:
    """Conditions on the language's listings for every filter given; search is one filter more."""
    conditions: list[ColumnElement[bool]] = []
    if source is not None:
        conditions.append(ListingRow.source_id == source)
    if since is not None:
        conditions.append(ListingRow.sort_at >= since)
    if until is not None:
        conditions.append(ListingRow.sort_at < until)
    if q is not None:
        conditions.append(matching(session, language, q))
    return conditions


def _link_header(request: Request, found: Slice, window: Window) -> str | None:
    """RFC 8288 `Link` to the next (older) and previous (newer) pages, the request's filters kept."""
    kept = [(key, value) for key, value in request.query_params.multi_items()
            if key not in ("before", "after", "offset")]  # fmt: skip
    links = []
    pages = (("next", "before", _next(found, window)), ("prev", "after", _prev(found, window)))
    for rel, key, cursor in pages:
        if cursor is not None:
            links.append(f'<{request.url.path}?{urlencode([*kept, (key, cursor)])}>; rel="{rel}"')
    return ", ".join(links) or None


def _next(found: Slice, window: Window) -> str | None:
    """The cursor of the older page: the last row, when the list goes on past it."""
    goes_on = found.more if window.after is None else True
    return str(found.last) if goes_on and found.last is not None else None


def _prev(found: Slice, window: Window) -> str | None:
    """The cursor of the newer page: the first row, when this is not the list's start."""
    starts_later = found.more if window.after is not None else bool(window.before or window.offset)
    return str(found.first) if starts_later and found.first is not None else None


@router.get(
    "/articles",
    response_model=ArticlePage,
    summary="Published articles, newest first",
)
def list_articles(
    request: Request,
    response: Response,
    session: ReadSession,
    settings: AppSettings,
    lang: Lang = None,
    source: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this source (id).")] = None,
    since: Annotated[Timestamp | None, Query(description="Published at or after (RFC 3339).")] = None,
    until: Annotated[Timestamp | None, Query(description="Published before (RFC 3339).")] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1, max_length=200, description="Full-text search: every word; with the other filters."
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[
        int, Query(ge=0, le=1_000_000, description="Skip this many (deep pages: use `before`, it is a seek).")
    ] = 0,
    before: Annotated[
        str | None,
        Query(max_length=40, pattern=CURSOR_PATTERN, description="Older than this cursor (a page's `next`)."),
    ] = None,
    after: Annotated[
        str | None,
        Query(max_length=40, pattern=CURSOR_PATTERN, description="Newer than this cursor (a page's `prev`)."),
    ] = None,
) -> ArticlePage:
    """Newest first. Page on with `before=<next>` (or the `Link: rel="next"` header): a cursor is an
    index seek at any depth and never repeats or skips an article when new ones are published."""
    language = _language(settings, lang)
    window = Window.parse(limit, offset, before, after)
    conditions = _filters(session, language, source=source, since=since, until=until, q=q)
    total = count_listed(session, language, *conditions)
    found = read_window(session, published_query(language).where(*conditions), window)
    if link := _link_header(request, found, window):
        response.headers["Link"] = link
    copies = copies_of(session, [row[0].id for row in found.rows])
    items = [article_summary(row, settings.base_url, copies.get(row[0].id, ())) for row in found.rows]
    older, newer = _next(found, window), _prev(found, window)
    return ArticlePage(total=total, limit=limit, offset=offset, next=older, prev=newer, items=items)


@router.get(
    "/articles/{article_id}", response_model=ArticleDetail, summary="One article, sentence by sentence"
)
def show_article(
    article_id: ArticleId, session: ReadSession, settings: AppSettings, lang: Lang = None
) -> ArticleDetail:
    """The translation with each source sentence beside it and the automated editor's findings."""
    language = _language(settings, lang)
    row = published_row(session, language, article_id)
    if row is None:
        raise APIError(404, f"no published article {article_id} in {language!r}")
    return article_detail(row, settings.base_url, copies_of(session, [article_id]).get(article_id, ()))


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
def list_sources(session: ReadSession) -> list[SourceOut]:
    rows = session.scalars(select(SourceRow).order_by(SourceRow.id))
    return [SourceOut.model_validate(row) for row in rows]


@router.post(
    "/sources",
    response_model=SourceOut,
    status_code=201,
    summary="Add a source",
    responses={**BAD_BODY, **UNAUTHORIZED, 409: problem("A source with this URL exists already.")},
)
def create_source(data: SourceCreate, session: DbSession, _token: Token) -> SourceOut:
    try:
        row = add_source(session, data)
    except ValueError as exc:
        raise APIError(409, str(exc)) from exc
    session.commit()
    return SourceOut.model_validate(row)


@router.patch(
    "/sources/{source_id}",
    response_model=SourceOut,
    summary="Change a source",
    responses={**BAD_BODY, **UNAUTHORIZED},
)
def update_source(source_id: SourceId, data: SourcePatch, session: DbSession, _token: Token) -> SourceOut:
    """Rename, set the language, enable or disable, switch excerpt-only."""
    row = _source(session, source_id)
    patch_source(row, data)
    session.commit()
    return SourceOut.model_validate(row)


# --- held translations --------------------------------------------------------------------


def _held(entry: HeldTranslation) -> HeldOut:
    return HeldOut.model_validate(entry, from_attributes=True)  # the same fields; findings are dicts


@router.get(
    "/held", response_model=list[HeldOut], summary="Translations waiting for a person", responses=UNAUTHORIZED
)
def list_held(session: ReadSession, _token: Token, include_rejected: bool = False) -> list[HeldOut]:
    return [_held(e) for e in held_translations(session, include_rejected=include_rejected)]


HeldLang = Annotated[LanguageCode, Query(description="Target language of the translation.")]


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
    responses=UNAUTHORIZED,
)
def release_held(item_id: ItemId, lang: HeldLang, session: DbSession, _token: Token) -> HeldOut:
    return _decide(session, item_id, lang, release=True)


@router.post(
    "/held/{item_id}/reject",
    response_model=HeldOut,
    summary="Refuse a held translation",
    responses=UNAUTHORIZED,
)
def reject_held(item_id: ItemId, lang: HeldLang, session: DbSession, _token: Token) -> HeldOut:
    return _decide(session, item_id, lang, release=False)


# --- docs and the rest --------------------------------------------------------------------


def openapi_schema(request: Request) -> dict[str, Any]:
    """The API's own schema (the site's pages are not part of it), built once per app."""
    cached: dict[str, Any] | None = getattr(request.app.state, "api_schema", None)
    if cached is None:
        settings: Settings = request.app.state.settings
        routes = request.app.state.api_routes
        cached = get_openapi(
            title=f"{settings.site_title} API", version="1", routes=routes, description=__doc__ or ""
        )
        request.app.state.api_schema = cached
    return cached


def register(app: FastAPI, settings: Settings, *more: APIRouter) -> None:
    """Mount the API on the app: routes (`more`: other modules' routers under /api/v1, such as
    api_stories.py's), JSON errors, and (when enabled) the schema and docs."""
    app.add_exception_handler(APIError, api_error)
    app.state.api_routes = [*router.routes, *(route for extra in more for route in extra.routes)]
    for included in (router, *more):
        app.include_router(included)
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


# Every method, so that nothing under /api/v1 reaches the site's pages: 405 or 404, as JSON.
@fallback_router.api_route(
    "/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]
)
def not_found(request: Request, path: str) -> None:
    settings: Settings = request.app.state.settings
    routes = request.app.state.api_routes
    raise unmatched(request, [*routes, *(docs_router.routes if settings.web.api_docs else [])])
