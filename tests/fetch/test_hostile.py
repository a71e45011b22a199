"""Every attack of the hostile server ends as the expected FetchError, in bounded time and memory."""

from __future__ import annotations

import gzip
import struct
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from babelwire.config import FetchSettings
from babelwire.fetch.client import FetchResult
from babelwire.fetch.encoding import decode_html
from babelwire.fetch.errors import FetchError
from babelwire.fetch.pages import page_from_result
from tests.fetch.hostile import BOMB_SIZE, BROKEN, HUGE_FEED_SIZE, INVALID_XML, NESTED_BOMB, HostileServer
from tests.fetch.loopback import LoopbackOnlyBackend, fetch_once

MIB = 1024 * 1024
SETTINGS = FetchSettings(
    allowed_networks=["127.0.0.1/32"], connect_timeout=1, read_timeout=1, total_timeout=2, max_redirects=4
)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
T = TypeVar("T")


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


@pytest.fixture
def backend() -> LoopbackOnlyBackend:
    return LoopbackOnlyBackend()


def measured(action: Callable[[], T]) -> tuple[T | FetchError, float, int]:
    """(result or FetchError, seconds, peak bytes allocated by Python meanwhile)."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome: T | FetchError = action()
    except FetchError as exc:
        outcome = exc
    finally:
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return outcome, elapsed, peak


def failure(
    server: HostileServer,
    backend: LoopbackOnlyBackend,
    path: str,
    settings: FetchSettings = SETTINGS,
    **kw: object,
) -> tuple[FetchError, float, int]:
    outcome, elapsed, peak = measured(lambda: fetch_once(server.url(path), settings, backend, **kw))  # type: ignore[arg-type]
    assert isinstance(outcome, FetchError), f"{path} was fetched instead of refused"
    return outcome, elapsed, peak


@pytest.mark.parametrize("path", ["/slowloris", "/drip"])
def test_slow_servers_end_at_the_total_deadline(
    server: HostileServer, backend: LoopbackOnlyBackend, path: str
) -> None:
    """Each read succeeds within read_timeout, so only the total deadline can end these."""
    error, elapsed, _ = failure(server, backend, path)
    assert error.reason == "timeout" and "fetch.total_timeout" in error.message
    assert SETTINGS.total_timeout - 0.1 < elapsed < SETTINGS.total_timeout + 1


def test_endless_body_stops_at_the_cap(server: HostileServer, backend: LoopbackOnlyBackend) -> None:
    settings = SETTINGS.model_copy(update={"max_bytes": 4 * MIB})
    error, elapsed, peak = failure(server, backend, "/endless", settings)
    assert error.reason == "too_large"
    assert elapsed < 2 and peak < 3 * settings.max_bytes


@pytest.mark.parametrize("path", ["/bomb", "/nested-bomb"])
def test_gzip_bombs_are_caught_while_small(
    server: HostileServer, backend: LoopbackOnlyBackend, path: str
) -> None:
    """/bomb: 2 GiB of zeros gzipped as it is sent; /nested-bomb: 1.8 KB of gzip(gzip(1 GiB))."""
    error, elapsed, peak = failure(server, backend, path)
    assert error.reason == "decompression_bomb" and "fetch.max_compression_ratio" in error.message
    assert elapsed < 2
    assert peak < 8 * MIB < BOMB_SIZE // 100  # far below the default 15 MiB cap, let alone the bomb


def test_the_nested_bomb_is_what_it_claims() -> None:
    """A few KB whose inner layer declares 1 GiB (gzip's size trailer) — checked without inflating it."""
    packed = NESTED_BOMB.read_bytes()
    inner = gzip.decompress(packed)
    assert len(packed) < 4096 < len(inner) < 2 * MIB
    assert struct.unpack("<I", inner[-4:])[0] == 1024**3 % 2**32 == 1024**3


def test_without_the_ratio_guard_the_size_cap_still_stops_a_bomb(
    server: HostileServer, backend: LoopbackOnlyBackend
) -> None:
    """With the ratio guard lifted, the cap is what stops a bomb: both limits hold on their own."""
    settings = SETTINGS.model_copy(update={"max_compression_ratio": 1e9, "max_bytes": 8 * MIB})
    error, _, peak = failure(server, backend, "/bomb", settings)
    assert error.reason == "too_large" and peak < 3 * settings.max_bytes


def test_redirect_loop_is_detected(server: HostileServer, backend: LoopbackOnlyBackend) -> None:
    error, elapsed, _ = failure(server, backend, "/loop-a")
    assert error.reason == "redirect_loop" and "/loop-a" in error.message
    assert elapsed < 1 and server.requests.count("/loop-a") >= 1


def test_redirect_chain_over_the_limit_is_cut(server: HostileServer, backend: LoopbackOnlyBackend) -> None:
    before = sum(path.startswith("/chain/") for path in server.requests)
    error, elapsed, _ = failure(server, backend, "/chain/0")
    assert error.reason == "redirects" and "fetch.max_redirects" in error.message
    assert elapsed < 1
    assert sum(path.startswith("/chain/") for path in server.requests) - before == SETTINGS.max_redirects + 1


@pytest.mark.parametrize(
    "location",
    ["http://127.0.0.2/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/"],
)
def test_redirects_to_blocked_addresses(
    server: HostileServer, backend: LoopbackOnlyBackend, location: str
) -> None:
    server.redirect("/moved", location)
    error, _, _ = failure(server, backend, "/moved")
    assert error.reason == "blocked_address"
    assert set(backend.hosts()) == {"127.0.0.1"}


def test_wrong_content_type_is_refused_on_the_headers(
    server: HostileServer, backend: LoopbackOnlyBackend
) -> None:
    error, elapsed, peak = failure(server, backend, "/wrong-type", allowed_types=FEED_TYPES)
    assert error.reason == "bad_content_type" and "image/png" in error.message
    assert elapsed < 1 and peak < 2 * MIB  # the 5 MB body was never read


def test_invalid_xml_arrives_as_bytes(server: HostileServer, backend: LoopbackOnlyBackend) -> None:
    """Fetching is not parsing: the broken feed comes back intact for the feed parser to judge."""
    result = fetch_once(server.url("/invalid-xml"), SETTINGS, backend, allowed_types=FEED_TYPES)
    assert result.body == INVALID_XML and result.content_type == "application/rss+xml"


@pytest.mark.parametrize("path", ["/huge-feed", "/huge-feed-declared"])
def test_fifty_megabyte_feed_is_too_large(
    server: HostileServer, backend: LoopbackOnlyBackend, path: str
) -> None:
    error, elapsed, peak = failure(server, backend, path, allowed_types=FEED_TYPES)
    assert error.reason == "too_large"
    assert elapsed < 2
    assert peak < 2 * FetchSettings().max_bytes < HUGE_FEED_SIZE
    if path == "/huge-feed-declared":
        assert "bytes exceeds" in error.message and peak < 2 * MIB  # refused on Content-Length


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_encodings_never_raise(server: HostileServer, backend: LoopbackOnlyBackend, name: str) -> None:
    result: FetchResult = fetch_once(server.url(f"/broken/{name}"), SETTINGS, backend)
    assert result.body == BROKEN[name][1]
    text = decode_html(result.body, result.content_type)
    assert isinstance(text, str) and text
    assert page_from_result(result).html == text
