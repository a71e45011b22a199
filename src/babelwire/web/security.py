"""Security headers on every response: a strict CSP (no inline script), no referrer leaks, HSTS on https.

A plain ASGI middleware, not Starlette's BaseHTTPMiddleware: that one runs each request in its own
task group and streams the body through a memory channel, which cost ~0.3 ms of CPU per request —
a fifth of a cached page's whole answer — to add five headers.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, hsts_max_age: int = 0) -> None:
        """`hsts_max_age`: seconds browsers keep to https (Strict-Transport-Security); 0 sends none."""
        self.app = app
        hsts = (("Strict-Transport-Security", f"max-age={hsts_max_age}"),) if hsts_max_age > 0 else ()
        self.headers = HEADERS + hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:  # a route that set its own (a stricter CSP) keeps it
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)
