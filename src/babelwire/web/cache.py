"""Rendered answers kept per web process, valid while the site's generation stays the same.

A news spike sends the same few pages to thousands of readers a minute; rendering each of them
again (queries, templates, the sanitizer) for every reader is what made the site slow. Here a
public GET's 200 answer is kept with the generation it was rendered at (store/changes.py) and
replayed as long as the stored generation is unchanged: one primary-key read per request instead
of the page's queries and templates. Any change readers can see bumps the generation in its own
transaction, so a publish, hold or release by any process, on any machine sharing the database,
invalidates every process's cache at once; nothing here needs to know which page shows what.

The generation is read before the page is rendered, so a page rendered while a change commits is
tagged with the older number and is rendered again on the next request: never stale, at worst
one extra render. Private answers (admin, metrics, token requests), other methods, non-200s and
answers that set cookies are never kept. Bounded by bytes, least recently used dropped first.
Starlette and FastAPI ship no server-side response cache, and fastapi-cache-style libraries key
by time-to-live, which would serve a held translation until it expires; hence this module.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.dialects import sqlite
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from babelwire.store.changes import SITE_STATE_ID
from babelwire.store.db import Store, sqlite_autocommit_reader
from babelwire.store.models import SiteStateRow
from babelwire.web.compression import accepts_gzip, gzip_form, gzip_headers, inflate, is_compressible
from babelwire.web.conditional import body_etag, is_private
from babelwire.web.shared_read import SharedRead

NOT_KEPT_PREFIXES = ("/websub", "/healthz", "/static")  # callbacks, liveness, files served as files
LARGEST_SHARE = 8  # one answer may take at most this fraction of the cache
CACHE_HEADER = b"x-babelwire-cache"  # "hit" or "miss" on answers that may be kept, as CDNs' X-Cache
GENERATION = select(SiteStateRow.generation).where(SiteStateRow.id == SITE_STATE_ID)
INLINE_GZIP = 64 * 1024  # larger answers are compressed in a thread (a few ms per 100 KB)
LOOP_BUSY_MS = 50  # longest the event loop may wait for SQLite before the read moves to a thread
GENERATION_SQL = str(GENERATION.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


@dataclass(frozen=True)
class CachedAnswer:
    """A kept answer; `packed` is its body's gzip form, kept instead of the body (web/compression.py)."""

    generation: int
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    packed: bytes | None = None

    @classmethod
    def compressed(
        cls, generation: int, status: int, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> CachedAnswer:
        packed = gzip_form(body) if is_compressible(headers, body) else None
        return cls(generation, status, headers, b"" if packed else body, packed)

    @property
    def size(self) -> int:
        stored = len(self.packed) if self.packed is not None else len(self.body)
        return stored + sum(len(k) + len(v) for k, v in self.headers) + 200

    def for_client(self, takes_gzip: bool) -> tuple[list[tuple[bytes, bytes]], bytes]:
        """Headers and body as this client takes them."""
        if self.packed is None:
            return self.headers, self.body
        if takes_gzip:
            return gzip_headers(self.headers, self.packed), self.packed
        return self.headers, inflate(self.packed)


@dataclass
class PageCache:
    """Answers by URL for the newest generation seen; older generations are dropped whole."""

    max_bytes: int
    generation: int = -1
    size: int = 0
    hits: int = 0
    misses: int = 0
    _answers: OrderedDict[str, CachedAnswer] = field(default_factory=OrderedDict)

    def get(self, url: str, generation: int) -> CachedAnswer | None:
        self._advance(generation)
        answer = self._answers.get(url)
        if answer is None or answer.generation != generation:
            self.misses += 1
            return None
        self._answers.move_to_end(url)
        self.hits += 1
        return answer

    def put(self, url: str, answer: CachedAnswer) -> None:
        if answer.generation != self.generation or answer.size * LARGEST_SHARE > self.max_bytes:
            return  # rendered for a generation already gone, or too large to be worth a slot
        previous = self._answers.pop(url, None)
        if previous is not None:
            self.size -= previous.size
        self._answers[url] = answer
        self.size += answer.size
        while self.size > self.max_bytes and self._answers:
            _, dropped = self._answers.popitem(last=False)
            self.size -= dropped.size

    def __len__(self) -> int:
        return len(self._answers)

    def clear(self) -> None:
        """Forget every answer (for what the store cannot signal: code or settings changed in place)."""
        self._answers.clear()
        self.size = 0

    def _advance(self, generation: int) -> None:
        if generation > self.generation:
            self.clear()
            self.generation = generation


def request_url(scope: Scope) -> str:
    path: str = scope["path"]
    query: bytes = scope["query_string"]
    return path + ("?" + query.decode("latin-1") if query else "")


def is_kept(scope: Scope) -> bool:
    """Public GETs only: HEAD arrives here as GET (conditional.py turns it into one)."""
    if scope["type"] != "http" or scope["method"] != "GET" or is_private(scope):
        return False
    path: str = scope["path"]
    return not any(path == prefix or path.startswith(prefix + "/") for prefix in NOT_KEPT_PREFIXES)


class GenerationReader:
    """The committed generation, read afresh for every request (a hold must empty the cache at once).

    On SQLite the read is one autocommit SELECT on a read-only connection of the reader's own, on
    the event loop: about 5 µs, where a thread hop costs ~80 µs and a pooled SQLAlchemy connection
    (checkout, BEGIN, ROLLBACK) ~150 µs, and where under load the threads and the pool are busy
    rendering the pages that missed. WAL readers do not wait for writers; should SQLite still say
    busy, the read is made again in a thread, where it may wait. On PostgreSQL it is a network round
    trip: a pooled read-only connection in a worker thread, so the event loop never waits on it,
    shared by the requests that arrive while one is being made (web/shared_read.py).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.inline = store.engine.dialect.name == "sqlite"  # unless the file cannot be opened apart
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # one event loop per app, but a TestClient may run another
        self.shared = SharedRead(lambda: anyio.to_thread.run_sync(self.read_pooled))

    async def __call__(self) -> int:
        if self.inline:
            try:
                return self.read_inline()
            except sqlite3.OperationalError:
                pass  # busy past LOOP_BUSY_MS (a WAL recovery, an exclusive lock): wait off the loop
        return await self.shared()

    def read_pooled(self) -> int:
        with self.store.read_engine.connect() as connection:
            return connection.scalar(GENERATION) or 0

    def read_inline(self) -> int:
        with self._lock:
            if self._connection is None:
                self._connection = sqlite_autocommit_reader(self.store.engine, LOOP_BUSY_MS)
                if self._connection is None:  # a URL this reader does not open itself
                    self.inline = False
                    return self.read_pooled()
            try:
                rows = self._connection.execute(GENERATION_SQL).fetchall()  # to the end: snapshot released
            except sqlite3.Error:
                self._connection.close()  # opened again on the next request
                self._connection = None
                raise
            return int(rows[0][0]) if rows else 0


class ResponseCacheMiddleware:
    def __init__(self, app: ASGIApp, store: Store, cache: PageCache) -> None:
        self.app = app
        self.cache = cache
        self.generation = GenerationReader(store)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_kept(scope):
            await self.app(scope, receive, send)
            return
        generation = await self.generation()
        url = request_url(scope)
        answer = self.cache.get(url, generation)
        takes_gzip = accepts_gzip(Headers(scope=scope).get("accept-encoding"))
        if answer is not None:
            headers, body = answer.for_client(takes_gzip)
            await send({"type": "http.response.start", "status": answer.status,
                        "headers": [*headers, (CACHE_HEADER, b"hit")]})  # fmt: skip
            await send({"type": "http.response.body", "body": body})
            return
        recorder = _Recorder(send, generation, lambda answer: self.cache.put(url, answer), takes_gzip)
        await self.app(scope, receive, recorder.forward)


class _Recorder:
    """Keeps a copy of an answer that may be kept, and sends it as a hit would be sent.

    Such an answer is held until its last part (ConditionalGetMiddleware, outside, holds public
    answers whole anyway), compressed, kept, and only then sent, in the form the client takes: the
    first answer and the replays agree (encoding, length, ETag), and it is kept before the client
    has it, since the app may still be closing its session when the client, which has the whole
    answer, sends its next request on the same connection. Other answers pass through as they come."""

    def __init__(
        self, send: Send, generation: int, keep: Callable[[CachedAnswer], None], takes_gzip: bool
    ) -> None:
        self.send = send
        self.generation = generation
        self.keep = keep
        self.takes_gzip = takes_gzip
        self.start: Message | None = None
        self.parts: list[bytes] = []

    async def forward(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = Headers(raw=message["headers"])
            control = headers.get("cache-control", "")
            if message["status"] == 200 and "set-cookie" not in headers and "no-store" not in control:
                message = {**message, "headers": list(message["headers"])}
                MutableHeaders(scope=message).add_vary_header("Accept-Encoding")  # the cache may gzip it
                self.start = message
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            self.parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._keep_and_send(b"".join(self.parts))
            return
        await self.send(message)

    async def _keep_and_send(self, body: bytes) -> None:
        assert self.start is not None
        headers = list(self.start["headers"])
        if not any(name.lower() == b"etag" for name, _ in headers):
            headers.append((b"etag", body_etag(body).encode("latin-1")))  # hashed once, not per hit
        status = self.start["status"]
        if len(body) <= INLINE_GZIP:
            answer = CachedAnswer.compressed(self.generation, status, headers, body)
        else:  # a sitemap file: compressing it would hold every other request on this loop
            answer = await anyio.to_thread.run_sync(
                CachedAnswer.compressed, self.generation, status, headers, body
            )
        self.keep(answer)
        headers, body = (
            (headers, body) if answer.packed is None or not self.takes_gzip else answer.for_client(True)
        )
        await self.send({**self.start, "headers": [*headers, (CACHE_HEADER, b"miss")]})
        await self.send({"type": "http.response.body", "body": body})
