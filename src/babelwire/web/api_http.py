"""The API's HTTP rules: JSON errors, the token checked before the body is read, 405 with Allow.

FastAPI reads and parses a request's body before it solves any dependency, so a token check
written as a dependency comes too late: an unauthenticated caller sending a malformed body
would learn about the body (400, 422) instead of being told to authenticate (401). Routes that
need a token therefore use `TokenFirstRoute`, which checks the token before FastAPI's handler
starts; the `Token` dependency then hands the checked name to the endpoint and puts the bearer
scheme in the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute

from babelwire.store.db import Store
from babelwire.store.models import MAX_ROW_ID
from babelwire.web import auth
from babelwire.web.api_models import Problem

PREFIX = "/api/v1"
MAX_ID = MAX_ROW_ID  # beyond it no row can exist: a 422 in the schema, not an overflow in the database
CHALLENGE = 'Bearer realm="babelwire"'

bearer = HTTPBearer(auto_error=False, description="A token from `babelwire admin create-token NAME`.")


class APIError(HTTPException):
    """An HTTP error the API answers as JSON (the site answers other errors with a page)."""


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description}


# The codes every route can answer, for the OpenAPI `responses` of the routes that can give them.
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: problem("No such thing, or not in that language.")}
UNAUTHORIZED: Responses = {401: problem("No token, or a wrong one (see WWW-Authenticate).")}
BAD_BODY: Responses = {400: problem("The body is not UTF-8 JSON.")}


def _verify(store: Store, credentials: HTTPAuthorizationCredentials | None) -> str:
    """The name of a valid API token, or 401 with a WWW-Authenticate challenge."""
    if credentials is None:
        raise APIError(
            401,
            "this needs an API token: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": CHALLENGE},
        )
    with store.session() as session:
        name = auth.verify_token(session, credentials.credentials)
        session.commit()  # last_used_at
    if name is None:
        raise APIError(
            401,
            "invalid or revoked API token",
            headers={"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'},
        )
    return name


async def authenticate(request: Request) -> str:
    """Check the request's token once; later calls in the same request reuse the answer."""
    name: str | None = getattr(request.state, "api_token", None)
    if name is None:
        credentials = await bearer(request)
        name = await run_in_threadpool(_verify, request.app.state.store, credentials)
        request.state.api_token = name
    return name


async def require_token(
    request: Request, _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> str:
    """The token's name for the endpoint (checked already by TokenFirstRoute, or here)."""
    return await authenticate(request)


Token = Annotated[str, Depends(require_token)]


def _needs_token(dependant: Dependant) -> bool:
    return any(d.call is require_token or _needs_token(d) for d in dependant.dependencies)


class TokenFirstRoute(APIRoute):
    """An API route that checks the token, when it needs one, before the body is read."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not _needs_token(self.dependant):
            return handler

        async def token_first(request: Request) -> Response:
            await authenticate(request)
            return await handler(request)

        return token_first


def allowed_methods(routes: list[BaseRoute], path: str) -> set[str]:
    """The methods the API's own routes answer at `path` (HEAD with every GET, as the site does)."""
    methods: set[str] = set()
    for route in routes:
        if isinstance(route, APIRoute) and route.path_regex.match(path):
            methods |= route.methods or set()
    if "GET" in methods:
        methods.add("HEAD")
    return methods


def unmatched(request: Request, routes: list[BaseRoute]) -> APIError:
    """What a request no API route takes gets: 405 with Allow on a known path, else 404."""
    path = request.scope["path"]
    methods = allowed_methods(routes, path)
    if methods:
        return APIError(
            405, f"{path} does not take {request.method}", headers={"Allow": ", ".join(sorted(methods))}
        )
    return APIError(404, f"no such API endpoint: {path}")
