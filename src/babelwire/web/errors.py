"""Every error the site answers, through one handler: an HTML page for readers, JSON under /api/.

Starlette answers unknown paths and wrong methods itself, and FastAPI answers a parameter it
cannot read (`/en/?page=0`) with JSON: readers would see `{"detail":"Not Found"}`. These handlers
catch all of them, so a 4xx or 5xx outside the API is always the site's own page in the page's
language, with the status and headers (`Allow` on a 405) the error carries.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from babelwire.web.deps import render

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Starlette's and FastAPI's own English details, as the reader-facing messages of our catalogs.
GENERIC_MESSAGES = {
    400: "The address has a value this site cannot read.",
    404: "There is no such page.",
    405: "This address does not take that kind of request.",
    500: "Something went wrong on our side. Please try again in a moment.",
}
TITLES = {400: "Bad request", 404: "Not found", 405: "Not allowed", 500: "Server error"}


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def error_page(
    request: Request, status: int, message: str | None = None, headers: Mapping[str, str] | None = None
) -> Response:
    """The site's error page in the language of the URL (the site's first language otherwise)."""
    languages: list[str] = request.app.state.settings.target_languages
    first = request.url.path.strip("/").split("/")[0]
    family = status if status in TITLES else (500 if status >= 500 else 400)
    response = render(
        request,
        "error.html",
        status=status,
        lang=first if first in languages else languages[0],
        title=TITLES[family],
        message=message or GENERIC_MESSAGES[family],
    )
    response.headers.update(headers or {})
    return response


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if is_api(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    # Starlette's own details ("Not Found", "Method Not Allowed") are for developers, not readers.
    own = exc.detail if exc.detail != _starlette_phrase(exc.status_code) else None
    return error_page(request, exc.status_code, own, exc.headers)


async def validation_error(request: Request, exc: Exception) -> Response:
    """A path that does not parse names no page (404); a query that does not is a bad request (400)."""
    assert isinstance(exc, RequestValidationError)
    if is_api(request):
        return await request_validation_exception_handler(request, exc)
    in_path = any(error.get("loc", ("",))[0] == "path" for error in exc.errors())
    return error_page(request, 404 if in_path else 400)


async def server_error(request: Request, exc: Exception) -> Response:
    """Unhandled exceptions: logged with the traceback (Starlette re-raises after answering)."""
    log.error("%s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
    if is_api(request):
        return JSONResponse({"detail": "internal server error"}, status_code=500)
    return error_page(request, 500)


def _starlette_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def register(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)
