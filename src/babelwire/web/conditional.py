"""HEAD for every GET route, and validators with 304s on every public GET: one ASGI middleware.

FastAPI routes answer only the methods they declare, so without this every HEAD is a 405 —
and feed readers, link checkers, uptime monitors and crawlers send HEAD. Here a HEAD runs the
GET route and sends its status and headers (Content-Length included) without the body, so the
two can never disagree.

Public 200 answers to GET get a strong `ETag` (a hash of the body), a `Last-Modified` and a
`Cache-Control`, and an `If-None-Match` or `If-Modified-Since` that still holds gets a 304
(RFC 9110 §13: If-None-Match wins when both are sent). The body hash makes the ETag exact.
`Last-Modified` is the time this process first sent this body for this URL: a page has no
single "changed at" in the store (holding a translation removes an entry from a feed without
making anything newer), so the only honest date is when the answer last changed. A restart
forgets those times, which costs a 200 instead of a 304, never a stale page.

Admin pages, `/metrics` and requests carrying `Authorization` are private: `no-store`, no
validators. Starlette has a GZip and a conditional-response helper for static files only; no
library does this for dynamic routes, hence this module.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from email.utils import formatdate, parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PUBLIC_CACHE_CONTROL = "no-cache"  # shared caches may keep a copy, but must revalidate it each time
PRIVATE_CACHE_CONTROL = "no-store"
PRIVATE_PREFIXES = ("/admin", "/metrics")
# Headers a 304 keeps (RFC 9110 §15.4.5), plus our security headers, which apply to every answer.
NOT_MODIFIED_DROPS = frozenset({"content-length", "content-type", "content-encoding", "transfer-encoding"})


class ChangeLog:
    """When each URL's current body was first sent, for the last `size` URLs (least recent dropped)."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._seen: OrderedDict[str, tuple[str, int]] = OrderedDict()

    def last_modified(self, url: str, etag: str, now: float) -> int:
        """The Unix second this body was first seen; a new body is always dated after the last one."""
        known = self._seen.get(url)
        if known is not None and known[0] == etag:
            self._seen.move_to_end(url)
            return known[1]
        stamp = math.ceil(now)
        if known is not None:
            stamp = max(stamp, known[1] + 1)  # a second change within a second still moves the date
        self._seen[url] = (etag, stamp)
        self._seen.move_to_end(url)
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return stamp


def body_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison, a list of tags, or `*`."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def not_modified_since(if_modified_since: str, last_modified: int) -> bool:
    """Whether the client's copy (dated by our own Last-Modified) is still current; bad dates never are."""
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        return False  # RFC 9110 dates are GMT; a date without a zone is not one of ours
    return last_modified <= since.timestamp()


def is_private(scope: Scope) -> bool:
    path: str = scope["path"]
    if any(path == prefix or path.startswith(prefix + "/") for prefix in PRIVATE_PREFIXES):
        return True
    return "authorization" in Headers(scope=scope)


class ConditionalGetMiddleware:
    def __init__(self, app: ASGIApp, changes: ChangeLog | None = None) -> None:
        self.app = app
        self.changes = changes or ChangeLog()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        if is_private(scope):
            await self.app(scope, receive, _private(send, head))
            return
        answer = _Buffered(scope, send, head, self.changes)
        await self.app(scope, receive, answer.capture)


def _private(send: Send, head: bool) -> Send:
    async def forward(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
        elif message["type"] == "http.response.body" and head:
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return forward


class _Buffered:
    """One public GET's answer: 200s are held until complete (to hash them), the rest pass through."""

    def __init__(self, scope: Scope, send: Send, head: bool, changes: ChangeLog) -> None:
        self.request = Headers(scope=scope)
        self.url = scope["path"] + (
            "?" + scope["query_string"].decode("latin-1") if scope["query_string"] else ""
        )
        self.send = send
        self.head = head
        self.changes = changes
        self.start: Message | None = None
        self.parts: list[bytes] = []
        self.passthrough = False

    async def capture(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = Headers(raw=message["headers"])
            no_store = "no-store" in headers.get("cache-control", "")
            if message["status"] != 200 or no_store:
                self.passthrough = True
                await self.send(message)
            else:
                self.start = message
            return
        if message["type"] != "http.response.body":
            await self.send(message)
            return
        if self.passthrough:
            if self.head:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await self.send(message)
            return
        self.parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            await self.finish(b"".join(self.parts))

    async def finish(self, body: bytes) -> None:
        assert self.start is not None
        start = {**self.start, "headers": list(self.start["headers"])}
        headers = MutableHeaders(scope=start)
        etag = headers.get("etag") or body_etag(body)
        # Each encoding of a URL (web/compression.py) has its own ETag: each keeps its own date.
        encoding = headers.get("content-encoding")
        stamp = self.changes.last_modified(
            f"{self.url} {encoding}" if encoding else self.url, etag, time.time()
        )
        headers["ETag"] = etag
        headers["Last-Modified"] = formatdate(stamp, usegmt=True)
        headers.setdefault("Cache-Control", PUBLIC_CACHE_CONTROL)
        if self.fresh(etag, stamp):
            start["status"] = 304
            start["headers"] = [
                (k, v) for k, v in start["headers"] if k.decode("latin-1") not in NOT_MODIFIED_DROPS
            ]
            body = b""
        elif self.head:
            body = b""
        await self.send(start)
        await self.send({"type": "http.response.body", "body": body})

    def fresh(self, etag: str, stamp: int) -> bool:
        if_none_match = self.request.get("if-none-match")
        if if_none_match is not None:
            return etag_matches(if_none_match, etag)
        if_modified_since = self.request.get("if-modified-since")
        return if_modified_since is not None and not_modified_since(if_modified_since, stamp)
