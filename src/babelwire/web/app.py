"""FastAPI app: home and article pages per target language, RSS per language, health check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.store.articles import count_articles, get_article, latest_articles
from babelwire.store.db import Store
from babelwire.web.feeds import render_rss
from babelwire.web.rendering import make_environment
from babelwire.web.security import SecurityHeadersMiddleware

PAGE_SIZE = 20
STATIC = Path(__file__).with_name("static")


def _session(request: Request) -> Iterator[Session]:
    store: Store = request.app.state.store
    with store.session() as session:
        yield session


DbSession = Annotated[Session, Depends(_session)]


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    store = store or Store(settings.resolved_database_url)
    env = make_environment()
    languages = settings.target_languages
    app = FastAPI(title=settings.site_title, docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.store = store

    def check_language(lang: str) -> str:
        if lang not in languages:
            raise HTTPException(status_code=404, detail=f"this site does not publish in {lang!r}")
        return lang

    def render(request: Request, template: str, status: int = 200, **context: object) -> HTMLResponse:
        base = {"site_title": settings.site_title, "languages": languages, "request_path": request.url.path}
        html = env.get_template(template).render(**base, **context)
        return HTMLResponse(html, status_code=status)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(f"/{languages[0]}/", status_code=302)

    @app.get("/healthz", include_in_schema=False)
    def healthz(s: DbSession) -> dict[str, str]:
        s.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.get("/{lang}/", response_class=HTMLResponse)
    def home(
        request: Request, lang: str, s: DbSession, page: Annotated[int, Query(ge=1, le=10_000)] = 1
    ) -> HTMLResponse:
        check_language(lang)
        total = count_articles(s, lang)
        articles = latest_articles(s, lang, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        pages = max(1, -(-total // PAGE_SIZE))
        return render(request, "home.html", lang=lang, articles=articles, page=page, pages=pages, total=total)

    @app.get("/{lang}/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, lang: str, article_id: int, s: DbSession) -> HTMLResponse:
        check_language(lang)
        found = get_article(s, lang, article_id)
        if found is None:
            raise HTTPException(status_code=404, detail="no such article in this language")
        others = [code for code in languages if code != lang and get_article(s, code, article_id)]
        return render(request, "article.html", lang=lang, article=found, other_languages=others)

    @app.get("/{lang}/feed.rss")
    def rss(lang: str, s: DbSession) -> Response:
        check_language(lang)
        articles = latest_articles(s, lang, limit=50)
        base = settings.base_url.rstrip("/")
        body = render_rss(
            articles,
            language=lang,
            site_title=settings.site_title,
            site_url=base,
            feed_url=f"{base}/{lang}/feed.rss",
        )
        return Response(body, media_type="application/rss+xml; charset=utf-8")

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException) -> HTMLResponse:
        lang = request.url.path.strip("/").split("/")[0]
        return render(
            request, "error.html", status=exc.status_code, lang=lang if lang in languages else languages[0],
            message=str(exc.detail),
        )  # fmt: skip

    return app
