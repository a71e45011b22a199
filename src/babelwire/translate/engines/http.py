"""Shared machinery for engines behind an HTTP API (LibreTranslate, DeepL, OpenAI-compatible, APY).

What every HTTP engine needs, written once so the engine files hold only their protocol:
explicit connect/read timeouts; bounded retries with exponential backoff and jitter that
honour `Retry-After`; one mapping from transport failures and HTTP statuses to
`TranslationError` reasons (one line each, with the server's own explanation); and batching
of segments into requests under a count and a size limit, order preserved, with the
"one output per input, none empty" contract checked in one place.

Engines are synchronous (the pipeline runs them on a thread pool), so this uses
`httpx.Client`, which is safe to share between threads.
"""

from __future__ import annotations

import math
import random
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, Self, TypedDict, TypeVar

import httpx

from babelwire.fetch.retry_after import parse_retry_after
from babelwire.translate.engine import Markup, TranslationError

T = TypeVar("T")

USER_AGENT = "babelwire/0.1 (machine translation client)"
# Statuses that may pass if tried again: overload, rate limits, gateway trouble.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 529})
# Statuses whose Retry-After header says when to come back.
RETRY_AFTER_STATUSES = frozenset({429, 503})


class HttpOptions(TypedDict, total=False):
    """Options every HTTP engine accepts (from `[engine_options.NAME]` in babelwire.toml)."""

    timeout: float  # seconds to wait for an answer (read/write)
    connect_timeout: float  # seconds to wait for a connection
    attempts: int  # tries per request, the first included
    backoff: float  # first retry delay in seconds; doubles each retry, with jitter
    max_backoff: float  # ceiling of one retry delay
    max_retry_after: float  # longest Retry-After we wait for; longer gives up (retryable)
    max_segments: int  # segments per request
    max_chars: int  # characters per request (a longer single segment goes alone)


def one_line(text: str, limit: int = 200) -> str:
    """Collapse whitespace so an error message stays on one line, and cap its length."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def plan_batches(segments: Sequence[str], max_segments: int, max_chars: int) -> list[list[int]]:
    """Group the indices of non-blank segments into requests, in order.

    Each group has at most `max_segments` segments and `max_chars` characters, except that a
    segment longer than `max_chars` travels alone (sentences are never cut). Blank segments
    are left out: they translate to themselves and some APIs reject them.
    """
    batches: list[list[int]] = []
    current: list[int] = []
    size = 0
    for index, segment in enumerate(segments):
        if not segment.strip():
            continue
        if current and (len(current) >= max_segments or size + len(segment) > max_chars):
            batches.append(current)
            current, size = [], 0
        current.append(index)
        size += len(segment)
    if current:
        batches.append(current)
    return batches


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Delay before retry number `attempt` (1, 2, ...): exponential, capped, with "equal jitter".

    Half the delay is fixed so retries really do slow down; the other half is random so many
    workers that failed together do not all come back at the same instant.
    """
    delay = min(cap, base * 2.0 ** (attempt - 1))
    jitter: float = (rng or random).uniform(0, delay / 2)
    return delay / 2 + jitter


def server_message(response: httpx.Response) -> str:
    """The server's own explanation of an error, from the usual JSON fields or the body text."""
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        parts: list[str] = []
        # APY: {"message": "Bad Request", "explanation": "That pair is not installed"}: keep both.
        for key in ("error", "message", "explanation", "detail"):
            value = payload.get(key)
            if isinstance(value, dict):  # OpenAI: {"error": {"message": ...}}
                value = value.get("message")
            if isinstance(value, str) and value.strip() and value.strip() not in parts:
                parts.append(value.strip())
        if parts:
            return one_line(": ".join(parts))
    text = re.sub(r"<[^>]+>", " ", response.text)  # an HTML error page from a proxy
    return one_line(text) if text.strip() else response.reason_phrase


class HttpEngine:
    """Base of the HTTP engines: a client, a retry loop, error mapping, batching, caching.

    Subclasses set `name`, the class defaults below, and implement the protocol methods with
    `_request`/`_json`/`_translate_batched`; they override `_error_for_status` for statuses
    with a meaning of their own (DeepL's 456 "quota exceeded", ...).
    """

    name: str = "http"
    markup: Markup = "html"
    default_timeout: ClassVar[float] = 30.0
    default_max_segments: ClassVar[int] = 25
    default_max_chars: ClassVar[int] = 5000

    def __init__(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        connect_timeout: float = 5.0,
        attempts: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_retry_after: float = 60.0,
        max_segments: int | None = None,
        max_chars: int | None = None,
    ) -> None:
        if attempts < 1:
            raise TypeError("attempts must be at least 1")
        self.url = url.rstrip("/")
        self.timeout = self.default_timeout if timeout is None else timeout
        self.connect_timeout = connect_timeout
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.max_segments = max(1, max_segments or self.default_max_segments)
        self.max_chars = max(1, max_chars or self.default_max_chars)
        self._client = httpx.Client(
            base_url=self.url,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
            timeout=httpx.Timeout(self.timeout, connect=connect_timeout),
            trust_env=False,  # an engine URL is configured explicitly; no proxies from the environment
            follow_redirects=False,
        )
        self._cache: dict[str, Any] = {}
        self._cache_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def probe(self) -> str:
        """Ask the server its cheapest question, bypassing any cache; a short line of what it said.

        For `babelwire doctor`. Raises TranslationError (the engine's own mapping of transport and
        HTTP failures). Each engine asks what proves the URL, the key and the headers translation uses.
        """
        raise self._error("no_probe", f"{type(self).__name__} has no probe")

    def _error(self, reason: str, message: str, *, retryable: bool = False) -> TranslationError:
        return TranslationError(self.name, reason, one_line(message, 400), retryable=retryable)

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send one request, retrying what may pass; return a 2xx response or raise TranslationError."""
        where = f"{method} {self.url}{path}"
        for attempt in range(1, self.attempts + 1):
            wait: float | None = None
            try:
                response = self._client.request(method, path, json=json, data=data, params=params)
            except httpx.ConnectTimeout:
                error = self._error(
                    "timeout", f"{where}: no connection within {self.connect_timeout:g} s", retryable=True
                )
            except httpx.TimeoutException:
                error = self._error(
                    "timeout", f"{where}: no answer within {self.timeout:g} s", retryable=True
                )
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise self._error("bad_url", f"{where}: {exc} (check the engine url)") from None
            except httpx.ConnectError as exc:
                error = self._error("connect", f"{where}: cannot connect ({exc})", retryable=True)
            except httpx.TransportError as exc:
                error = self._error("network", f"{where}: {type(exc).__name__}: {exc}", retryable=True)
            else:
                if response.is_success:
                    return response
                error = self._error_for_status(response)
                if response.status_code in RETRY_AFTER_STATUSES:
                    wait = parse_retry_after(
                        response.headers.get("Retry-After"), datetime.now(UTC), cap=math.inf
                    )
            if not error.retryable:
                raise error
            if attempt == self.attempts:
                tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
                raise self._error(error.reason, f"{error.message} (gave up after {tries})", retryable=True)
            if wait is not None and wait > self.max_retry_after:
                raise self._error(
                    error.reason, f"{error.message} (server asks to retry after {wait:g} s)", retryable=True
                )
            time.sleep(wait if wait is not None else backoff_delay(attempt, self.backoff, self.max_backoff))
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _error_for_status(self, response: httpx.Response) -> TranslationError:
        """Map an HTTP error status to a reason; subclasses add their API's special statuses."""
        status = response.status_code
        request = response.request
        detail = (
            f"{request.method} {request.url.copy_with(query=None)}: HTTP {status}: {server_message(response)}"
        )
        if status in (401, 403):
            return self._error("auth", f"{detail} (check the API key)")
        if status == 404:
            return self._error("not_found", f"{detail} (check the engine url)")
        if status == 413:
            return self._error("too_large", f"{detail} (lower max_chars or max_segments)")
        if status == 429:
            return self._error("rate_limited", detail, retryable=True)
        if status == 408:
            return self._error("timeout", detail, retryable=True)
        return self._error(f"http_{status}", detail, retryable=status in RETRY_STATUSES)

    def _json(self, response: httpx.Response) -> Any:
        """The response body as JSON, or a bad_response error saying what came instead."""
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get("Content-Type", "no content type")
            raise self._error(
                "bad_response",
                f"{response.request.method} {response.request.url.copy_with(query=None)}: "
                f"expected JSON, got {kind}: {one_line(response.text, 80)!r}",
            ) from None

    def _bad_response(self, what: str, payload: Any) -> TranslationError:
        return self._error("bad_response", f"{what}; got {one_line(repr(payload), 120)}")

    def _cached(self, key: str, load: Callable[[], T]) -> T:
        """`load()` once per engine and remember it (language lists, versions); failures are not kept."""
        with self._cache_lock:
            if key not in self._cache:
                self._cache[key] = load()
            value: T = self._cache[key]
            return value

    def _translate_batched(
        self,
        segments: Sequence[str],
        translate_batch: Callable[[list[str]], list[str]],
        *,
        max_chars: int | None = None,
    ) -> list[str]:
        """Translate in batches and enforce the contract: one non-empty output per input, in order.

        `max_chars` lowers the configured limit for this call (a server that announces its own).
        """
        limit = min(self.max_chars, max_chars) if max_chars and max_chars > 0 else self.max_chars
        results = list(segments)  # blank segments translate to themselves
        for indices in plan_batches(segments, self.max_segments, limit):
            batch = [segments[i] for i in indices]
            outputs = translate_batch(batch)
            if len(outputs) != len(batch) or not all(isinstance(text, str) for text in outputs):
                raise self._error(
                    "bad_response", f"sent {len(batch)} segments, got {len(outputs)} translations back"
                )
            for index, text in zip(indices, outputs, strict=True):
                if not text.strip():
                    raise self._error(
                        "empty_output",
                        f"empty translation for segment {index}: {one_line(segments[index], 60)!r}",
                    )
                results[index] = text.strip()
        return results
