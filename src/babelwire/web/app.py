"""The FastAPI app: one router per concern, security headers, static files, errors as pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.web import admin, api, feeds, metrics, pages, sitemap, websub
from babelwire.web.deps import DbSession, render
from babelwire.web.rendering import make_environment
from babelwire.web.security import SecurityHeadersMiddleware

STATIC = Path(__file__).with_name("static")


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    app = FastAPI(title=settings.site_title, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.store = store or Store.from_settings(settings)
    app.state.templates = make_environment()
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    languages = settings.target_languages

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(f"/{languages[0]}/", status_code=302)

    @app.get("/healthz", include_in_schema=False)
    def healthz(session: DbSession) -> dict[str, str]:
        session.execute(text("SELECT 1"))
        return {"status": "ok"}

    api.register(app, settings)  # before pages: /{lang}/ would match /api/ and /admin/
    admin.register(app, settings)
    metrics.register(app, app.state.store)
    app.include_router(feeds.router)
    app.include_router(sitemap.router)
    app.include_router(websub.router)  # hubs call back here: no session, no CSRF
    app.include_router(pages.router)

    @app.exception_handler(HTTPException)
    async def error_page(request: Request, exc: HTTPException) -> HTMLResponse:
        lang = request.url.path.strip("/").split("/")[0]
        return render(request, "error.html", status=exc.status_code,
                      lang=lang if lang in languages else languages[0], message=str(exc.detail))  # fmt: skip

    return app
