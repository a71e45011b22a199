"""One httpx client configuration for every request babelwire makes.

Timeouts (connect, read, and a total deadline httpx lacks), a redirect limit, a streaming
size cap and a clear User-Agent. SSRF checks, robots.txt and per-host politeness are
added in this package by the safe-fetching work.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httpx

from babelwire.config import FetchSettings
from babelwire.fetch.errors import FetchError


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


def make_client(settings: FetchSettings) -> httpx.AsyncClient:
    timeout = httpx.Timeout(
        connect=settings.connect_timeout, read=settings.read_timeout, write=10.0, pool=settings.total_timeout
    )
    limits = httpx.Limits(
        max_connections=settings.concurrency * 2, max_keepalive_connections=settings.concurrency
    )
    return httpx.AsyncClient(
        timeout=timeout,
        limits=limits,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        trust_env=False,
    )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    settings: FetchSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = "*/*",
) -> FetchResult:
    """GET `url`, streaming the body under the size cap and the total deadline.

    Raises FetchError for network failures, HTTP errors (>= 400) and oversize bodies.
    A 304 answer to a conditional request comes back with `not_modified=True`.
    """
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    try:
        return await asyncio.wait_for(
            _stream(client, url, settings, headers, started), timeout=settings.total_timeout
        )
    except TimeoutError as exc:
        raise FetchError(url, "timeout", f"no complete answer within {settings.total_timeout:g} s") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(url, "redirects", f"more than {settings.max_redirects} redirects") from exc
    except httpx.TimeoutException as exc:
        raise FetchError(url, "timeout", f"timed out ({type(exc).__name__})") from exc
    except httpx.ConnectError as exc:
        raise FetchError(url, "connect", f"cannot connect: {exc or 'connection refused'}") from exc
    except httpx.InvalidURL as exc:
        raise FetchError(url, "invalid_url", str(exc)) from exc
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(url, "invalid_url", f"unsupported URL scheme: {exc}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, "http", f"{type(exc).__name__}: {exc}") from exc


async def _stream(
    client: httpx.AsyncClient, url: str, settings: FetchSettings, headers: dict[str, str], started: float
) -> FetchResult:
    async with client.stream("GET", url, headers=headers) as response:
        redirects = tuple(str(r.url) for r in response.history)
        response_headers = {k.lower(): v for k, v in response.headers.items()}
        if response.status_code == 304:
            return FetchResult(
                url,
                str(response.url),
                304,
                response_headers,
                b"",
                True,
                time.monotonic() - started,
                redirects,
            )
        if response.status_code >= 400:
            raise FetchError(
                url, f"http_{response.status_code}", f"server answered HTTP {response.status_code}"
            )
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > settings.max_bytes:
            raise FetchError(
                url, "too_large", f"body of {declared} bytes exceeds the {settings.max_bytes}-byte cap"
            )
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > settings.max_bytes:
                raise FetchError(url, "too_large", f"body exceeds the {settings.max_bytes}-byte cap")
            chunks.append(chunk)
        return FetchResult(
            url=url,
            final_url=str(response.url),
            status=response.status_code,
            headers=response_headers,
            body=b"".join(chunks),
            elapsed=time.monotonic() - started,
            redirects=redirects,
        )


def fetch_sync(url: str, settings: FetchSettings | None = None, **kwargs: str | None) -> FetchResult:
    """Blocking convenience for the CLI: one request with a short-lived client."""
    settings = settings or FetchSettings()

    async def _run() -> FetchResult:
        async with make_client(settings) as client:
            return await fetch(client, url, settings, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(_run())
