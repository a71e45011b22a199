"""One httpx client configuration for every request babelwire makes.

The client's connections go through the SSRF guard (fetch/guard.py), so every request made
with it — redirect hops included — reaches only checked addresses. On top of that, `fetch`
follows redirects itself (each hop re-checked, loops and chains cut), applies a total
deadline httpx lacks, checks the content type before reading, and streams the body under a
size cap and a decompression-bomb guard.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

import httpcore
import httpx

from babelwire.config import FetchSettings, load_settings
from babelwire.fetch.decoding import BoundedDecoder, DecodingError
from babelwire.fetch.errors import FetchError
from babelwire.fetch.guard import AddressPolicy, GuardedBackend, Resolver, SystemResolver, check_url
from babelwire.fetch.pools import OriginPools
from babelwire.fetch.retry_after import retry_after_of
from babelwire.fetch.streams import AsyncioBackend

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Below this many decoded bytes the compression ratio is not judged: small, very repetitive
# pages (and empty gzip streams) legitimately compress far beyond any sane ratio.
BOMB_FLOOR = 1024 * 1024
# A WebSub hub's reply is a status and perhaps a line of text; nothing larger is read.
FORM_REPLY_CAP = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    not_modified: bool = False
    elapsed: float = 0.0
    redirects: tuple[str, ...] = field(default_factory=tuple)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def make_client(
    settings: FetchSettings,
    *,
    resolver: Resolver | None = None,
    network_backend: httpcore.AsyncNetworkBackend | None = None,
) -> httpx.AsyncClient:
    """The client; `network_backend` is the layer below the guard (tests pass a loopback-only one)."""
    backend = GuardedBackend(
        AddressPolicy.from_settings(settings),
        resolver or SystemResolver(),
        network_backend or AsyncioBackend(),
    )
    timeout = httpx.Timeout(
        connect=settings.connect_timeout, read=settings.read_timeout, write=10.0, pool=settings.total_timeout
    )
    return httpx.AsyncClient(
        transport=_guarded_transport(settings, backend),
        timeout=timeout,
        follow_redirects=False,  # `fetch` follows them itself, checking each hop
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        trust_env=False,  # no proxies from the environment: they would bypass the address checks
        event_hooks={"request": [_check_request]},
    )


def _guarded_transport(settings: FetchSettings, backend: GuardedBackend) -> httpx.AsyncHTTPTransport:
    ssl_context = httpx.create_ssl_context(trust_env=False)
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, trust_env=False)
    # httpx 0.28+ builds its httpcore pool itself and takes no network backend; swap in pools per
    # origin (fetch/pools.py: keep-alive across hundreds of hosts) with the guard as their backend.
    # This is the one private attribute babelwire touches.
    transport._pool = OriginPools(  # type: ignore[assignment]
        network_backend=backend,
        ssl_context=ssl_context,
        max_connections=settings.concurrency * 2,
        max_keepalive=max(1, settings.per_host_concurrency),
        max_idle=settings.keepalive_connections,
        keepalive_expiry=settings.keepalive_expiry,
    )
    return transport


async def _check_request(request: httpx.Request) -> None:
    """Every request made with the client, not only those made by `fetch`, gets the URL checks."""
    check_url(str(request.url))


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    settings: FetchSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = "*/*",
    allowed_types: Sequence[str] | None = None,
    max_bytes: int | None = None,
) -> FetchResult:
    """GET `url` within the limits of `settings`.

    Raises FetchError for refused addresses, network failures, HTTP errors (>= 400, with
    `retry_after` on 429/503), redirect loops and chains, unwanted content types (checked before
    the body is read) and oversize or bomb bodies. A 304 comes back with `not_modified=True`.
    """
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    trail = [url]
    async with _fetch_errors(url, settings, trail):
        check_url(url)
        while True:
            async with client.stream("GET", trail[-1], headers=headers) as response:
                target = _redirect_target(response)
                if target is None:
                    body = await _checked_body(response, url, settings, allowed_types, max_bytes)
                    return _result(url, response, body, started, trail[:-1])
            trail.append(target)
            _check_hop(url, trail, settings)


async def post_form(
    client: httpx.AsyncClient, url: str, data: Mapping[str, str], settings: FetchSettings
) -> FetchResult:
    """POST a form (WebSub hub requests) and report the answer, whatever its status.

    No redirect is followed and the reply body is capped small: a hub answers with a status.
    """
    started = time.monotonic()
    async with _fetch_errors(url, settings, [url]):
        check_url(url)
        async with client.stream("POST", url, data=dict(data)) as response:
            body = await _read_body(response, url, FORM_REPLY_CAP, settings.max_compression_ratio)
            return _result(url, response, body, started, [])


def fetch_sync(url: str, settings: FetchSettings | None = None, **kwargs: str | None) -> FetchResult:
    """Blocking convenience for the CLI: one request with a short-lived client, under the
    operator's [fetch] settings (babelwire.toml / BABELWIRE_FETCH__*) unless given others."""
    settings = settings or load_settings().fetch

    async def _run() -> FetchResult:
        async with make_client(settings) as client:
            return await fetch(client, url, settings, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(_run())


@asynccontextmanager
async def _fetch_errors(url: str, settings: FetchSettings, trail: list[str]) -> AsyncIterator[None]:
    """The total deadline, and every failure turned into a FetchError about `url` that names
    the redirect hop it happened on."""
    try:
        async with asyncio.timeout(settings.total_timeout):
            yield
    except TimeoutError as exc:
        raise FetchError(
            url, "timeout", f"no complete answer within {settings.total_timeout:g} s (fetch.total_timeout)"
        ) from exc
    except FetchError as exc:
        if exc.url == url:
            raise
        raise FetchError(url, exc.reason, _hop(trail) + exc.message, retry_after=exc.retry_after) from exc
    except httpx.HTTPError as exc:
        raise _from_httpx(url, exc, _hop(trail)) from exc


def _hop(trail: list[str]) -> str:
    """How a failure's message begins: which redirect hop it happened on, if any."""
    return "" if len(trail) == 1 else f"redirected to {trail[-1]}: "


def _from_httpx(url: str, exc: httpx.HTTPError, hop: str) -> FetchError:
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(url, "timeout", f"{hop}timed out ({type(exc).__name__})")
    if isinstance(exc, httpx.ConnectError):
        return FetchError(url, "connect", f"{hop}cannot connect: {exc or 'connection refused'}")
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return FetchError(url, "invalid_url", f"{hop}{exc}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return FetchError(url, "protocol", f"{hop}the server broke the HTTP protocol: {exc}")
    return FetchError(url, "http", f"{hop}{type(exc).__name__}: {exc}")


def _redirect_target(response: httpx.Response) -> str | None:
    location = response.headers.get("location")
    if response.status_code not in REDIRECT_STATUSES or not location:
        return None
    return str(urldefrag(urljoin(str(response.url), location.strip())).url)


def _check_hop(url: str, trail: list[str], settings: FetchSettings) -> None:
    """Before following a redirect to trail[-1]: the URL checks, loop detection and the hop limit."""
    target = trail[-1]
    check_url(target)
    if target in trail[:-1]:
        raise FetchError(url, "redirect_loop", f"redirect loop: {trail[-2]} sends back to {target}")
    if len(trail) - 1 > settings.max_redirects:
        raise FetchError(
            url, "redirects", f"more than {settings.max_redirects} redirects (fetch.max_redirects)"
        )


async def _checked_body(
    response: httpx.Response,
    url: str,
    settings: FetchSettings,
    allowed_types: Sequence[str] | None,
    max_bytes: int | None,
) -> bytes:
    """The final answer's body, after its status and headers pass (nothing read if they do not)."""
    status = response.status_code
    if status == 304:
        return b""
    if status >= 400:
        raise _status_error(response, url, settings)
    if 300 <= status < 400:
        raise FetchError(url, f"http_{status}", f"server answered HTTP {status} without a usable Location")
    _check_type(response, url, allowed_types)
    cap = max_bytes or settings.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise FetchError(url, "too_large", f"body of {declared} bytes exceeds the {cap}-byte cap")
    return await _read_body(response, url, cap, settings.max_compression_ratio)


def _status_error(response: httpx.Response, url: str, settings: FetchSettings) -> FetchError:
    status = response.status_code
    message = f"server answered HTTP {status}" + (" (too many requests)" if status == 429 else "")
    retry_after = retry_after_of(status, response.headers, settings.max_retry_after)
    if retry_after is not None:
        message += f"; it asks to retry after {retry_after:g} s"
    return FetchError(url, f"http_{status}", message, retry_after=retry_after)


def _check_type(response: httpx.Response, url: str, allowed_types: Sequence[str] | None) -> None:
    """Entries are exact media types ("application/rss+xml"), major types ("text/*" or "text/")
    or suffixes ("+xml"); an answer without a Content-Type passes (content sniffing decides)."""
    mime = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if not allowed_types or not mime:
        return
    for wanted in (entry.strip().lower() for entry in allowed_types):
        major = wanted.removesuffix("*")
        if mime == wanted or (major.endswith("/") and mime.startswith(major)):
            return
        if wanted.startswith("+") and mime.endswith(wanted):
            return
    raise FetchError(url, "bad_content_type", f"expected {', '.join(allowed_types)}, got {mime!r}")


async def _read_body(response: httpx.Response, url: str, cap: int, max_ratio: float) -> bytes:
    """Stream raw bytes and decode them in bounded pieces, stopping as soon as a limit is crossed,
    so memory never holds more than the cap (plus one piece) whatever the server sends."""
    try:
        decoder = BoundedDecoder(response.headers.get_list("content-encoding", split_commas=True))
        chunks: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw():
            if response.num_bytes_downloaded > cap:
                raise FetchError(url, "too_large", f"body exceeds the {cap}-byte cap (fetch.max_bytes)")
            for piece in decoder.feed(raw):
                size = _count(url, size + len(piece), response.num_bytes_downloaded, cap, max_ratio)
                chunks.append(piece)
        for piece in decoder.flush():
            size = _count(url, size + len(piece), response.num_bytes_downloaded, cap, max_ratio)
            chunks.append(piece)
    except DecodingError as exc:
        raise FetchError(url, "bad_encoding", f"the body cannot be decoded: {exc}") from exc
    return b"".join(chunks)


def _count(url: str, decoded: int, downloaded: int, cap: int, max_ratio: float) -> int:
    if decoded > BOMB_FLOOR and decoded > max_ratio * max(downloaded, 1):
        raise FetchError(
            url,
            "decompression_bomb",
            f"{downloaded} compressed bytes expand to over {decoded} (more than {max_ratio:g} times;"
            " fetch.max_compression_ratio)",
        )
    if decoded > cap:
        raise FetchError(url, "too_large", f"decoded body exceeds the {cap}-byte cap (fetch.max_bytes)")
    return decoded


def _result(
    url: str, response: httpx.Response, body: bytes, started: float, redirects: Sequence[str]
) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=str(response.url),
        status=response.status_code,
        headers={k.lower(): v for k, v in response.headers.items()},
        body=body,
        not_modified=response.status_code == 304,
        elapsed=time.monotonic() - started,
        redirects=tuple(redirects),
    )
