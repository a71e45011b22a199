"""The FastAPI app: one router per concern, security headers, validators and HEAD, errors as pages."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.web import (
    admin,
    admin_stories,
    api,
    api_stories,
    errors,
    feeds,
    i18n,
    metrics,
    pages,
    sitemap,
    story_feeds,
    story_pages,
    websub,
    wellknown,
)
from babelwire.web.admin_filters import router as admin_filters_router
from babelwire.web.cache import PageCache, ResponseCacheMiddleware
from babelwire.web.conditional import ConditionalGetMiddleware
from babelwire.web.deps import ReadSession
from babelwire.web.rendering import make_environment
from babelwire.web.security import SecurityHeadersMiddleware

STATIC = Path(__file__).with_name("static")
log = logging.getLogger("babelwire.web")


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    app = FastAPI(title=settings.site_title, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.store = store or Store.from_settings(settings)
    app.state.templates = make_environment()
    if settings.web.cache_mb > 0:  # innermost: what it keeps is the app's answer, before any header
        app.state.page_cache = PageCache(settings.web.cache_mb * 2**20)
        app.add_middleware(ResponseCacheMiddleware, store=app.state.store, cache=app.state.page_cache)
    https = settings.base_url.startswith("https://")
    app.add_middleware(SecurityHeadersMiddleware, hsts_max_age=settings.web.hsts_max_age if https else 0)
    app.add_middleware(ConditionalGetMiddleware)  # outermost: its 304s and HEADs carry the security headers
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    languages = settings.target_languages
    if missing_strings := i18n.missing_catalog_warning(languages):
        log.warning(missing_strings)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(f"/{languages[0]}/", status_code=302)

    @app.get("/healthz", include_in_schema=False)
    def healthz(session: ReadSession) -> dict[str, str]:
        session.execute(text("SELECT 1"))
        return {"status": "ok"}

    api.register(app, settings, api_stories.router)  # before pages: /{lang}/ would match /api/ and /admin/
    admin.register(app, settings)
    app.include_router(admin_filters_router)
    metrics.register(app, app.state.store)
    app.include_router(feeds.router)
    app.include_router(sitemap.router)
    app.include_router(websub.router)  # hubs call back here: no session, no CSRF
    app.include_router(wellknown.router)
    app.include_router(story_feeds.router)  # before story_pages: /{lang}/stories/{id} would take feed.rss
    app.include_router(story_pages.router)
    app.include_router(admin_stories.router)
    app.include_router(pages.router)
    errors.register(app)  # after api.register: the API's own APIError handler stays the more specific one
    return app
