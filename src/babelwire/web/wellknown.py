"""Files crawlers and browsers ask for at fixed paths: /robots.txt and /favicon.ico."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response

from babelwire.web.deps import AppSettings

router = APIRouter(include_in_schema=False)
FAVICON = Path(__file__).with_name("static") / "favicon.svg"


def robots_txt(base_url: str) -> str:
    """Everything readers see may be crawled; the admin and the API are not pages. Names the sitemap."""
    base = base_url.rstrip("/")
    return f"User-agent: *\nDisallow: /admin/\nDisallow: /api/\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"


@router.get("/robots.txt")
def robots(settings: AppSettings) -> PlainTextResponse:
    return PlainTextResponse(robots_txt(settings.base_url))


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page links; the SVG icon answers it."""
    return Response(FAVICON.read_bytes(), media_type="image/svg+xml")
