"""Per-host limits: concurrency, spacing, independent hosts, Retry-After pauses, bounded memory."""

from __future__ import annotations

import asyncio
import itertools
import re
import time

import pytest

from babelwire.fetch.errors import FetchError
from babelwire.fetch.politeness import MAX_CRAWL_DELAY, HostLimiter

pytestmark = pytest.mark.anyio
URL = "https://example.com/feed"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Probe:
    """Runs fake requests through a limiter, noting start times and the most in flight at once."""

    def __init__(self, limiter: HostLimiter, duration: float = 0.0) -> None:
        self.limiter = limiter
        self.duration = duration
        self.starts: dict[str, list[float]] = {}
        self.in_flight = 0
        self.peak = 0

    async def request(self, key: str, *, crawl_delay: float | None = None) -> None:
        async with self.limiter.slot(key, f"{key}/x", crawl_delay=crawl_delay):
            self.starts.setdefault(key, []).append(time.monotonic())
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            await asyncio.sleep(self.duration)
            self.in_flight -= 1


def gaps(starts: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(starts)]


async def test_at_most_n_requests_per_host_in_flight() -> None:
    probe = Probe(HostLimiter(2, 0.0, max_retry_after=60), duration=0.05)
    await asyncio.gather(*(probe.request("https://a.example") for _ in range(8)))
    assert probe.peak == 2 and len(probe.starts["https://a.example"]) == 8


async def test_request_starts_are_spaced_by_the_interval() -> None:
    probe = Probe(HostLimiter(4, 0.2, max_retry_after=60))
    began = time.monotonic()
    await asyncio.gather(*(probe.request("https://a.example") for _ in range(4)))
    assert all(gap >= 0.19 for gap in gaps(probe.starts["https://a.example"]))
    assert time.monotonic() - began < 3.0


async def test_crawl_delay_raises_the_spacing() -> None:
    probe = Probe(HostLimiter(2, 0.05, max_retry_after=60))
    await asyncio.gather(*(probe.request("https://a.example", crawl_delay=0.25) for _ in range(3)))
    assert all(gap >= 0.24 for gap in gaps(probe.starts["https://a.example"]))


async def test_crawl_delay_is_capped() -> None:
    clock = Clock()
    limiter = HostLimiter(1, 0.0, max_retry_after=60, clock=clock)
    async with limiter.slot("https://a.example", URL, crawl_delay=10**9):
        pass
    clock.now += MAX_CRAWL_DELAY  # a site asking for a billion seconds gets a minute
    async with asyncio.timeout(1), limiter.slot("https://a.example", URL, crawl_delay=10**9):
        pass


async def test_a_slow_host_does_not_hold_up_another() -> None:
    probe = Probe(HostLimiter(1, 0.3, max_retry_after=60), duration=0.05)
    began = time.monotonic()
    slow = [probe.request("https://slow.example") for _ in range(4)]  # ~0.9 s of queueing
    await asyncio.gather(*slow, probe.request("https://fast.example"))
    assert probe.starts["https://fast.example"][0] - began < 0.2
    assert probe.starts["https://slow.example"][-1] - began >= 0.85


async def test_back_off_refuses_the_host_fast_with_the_time() -> None:
    limiter = HostLimiter(2, 0.0, max_retry_after=3600)
    limiter.back_off("https://a.example", 120)
    began = time.monotonic()
    with pytest.raises(FetchError) as caught:
        async with limiter.slot("https://a.example", URL):
            pytest.fail("a paused host must not get a slot")
    assert time.monotonic() - began < 0.05
    error = caught.value
    assert error.reason == "host_backoff" and error.url == URL
    assert error.retry_after is not None and 119 < error.retry_after <= 120
    assert re.search(r"wait until \d\d:\d\d:\d\d UTC$", error.message)
    async with limiter.slot("https://other.example", URL):  # other hosts are not paused
        pass


async def test_back_off_ends_and_is_capped() -> None:
    clock = Clock()
    limiter = HostLimiter(2, 0.0, max_retry_after=30, clock=clock)
    limiter.back_off("https://a.example", 86400)
    with pytest.raises(FetchError) as caught:
        limiter.check("https://a.example", URL)
    assert caught.value.retry_after == 30
    clock.now += 30.5
    limiter.check("https://a.example", URL)


async def test_back_off_never_shortens_a_pause() -> None:
    clock = Clock()
    limiter = HostLimiter(2, 0.0, max_retry_after=3600, clock=clock)
    limiter.back_off("https://a.example", 600)
    limiter.back_off("https://a.example", 5)
    limiter.back_off("https://a.example", -5)
    clock.now += 100
    with pytest.raises(FetchError):
        limiter.check("https://a.example", URL)


async def test_queued_requests_fail_when_the_host_asks_to_wait() -> None:
    limiter = HostLimiter(1, 0.0, max_retry_after=3600)

    async def first() -> None:
        async with limiter.slot("https://a.example", URL):
            await asyncio.sleep(0.05)
            limiter.back_off("https://a.example", 60)  # as a 429 with Retry-After would

    async def queued() -> None:
        async with limiter.slot("https://a.example", URL):
            pytest.fail("queued behind a 429, this request must not be sent")

    results = await asyncio.gather(first(), queued(), return_exceptions=True)
    assert results[0] is None
    assert isinstance(results[1], FetchError) and results[1].reason == "host_backoff"


async def test_a_cancelled_waiter_gives_its_place_back() -> None:
    limiter = HostLimiter(1, 0.0, max_retry_after=60)
    holder_done = asyncio.Event()

    async def hold() -> None:
        async with limiter.slot("https://a.example", URL):
            await holder_done.wait()

    holder = asyncio.ensure_future(hold())
    await asyncio.sleep(0)
    waiter = asyncio.ensure_future(Probe(limiter).request("https://a.example"))
    await asyncio.sleep(0.01)
    waiter.cancel()
    holder_done.set()
    await holder
    async with asyncio.timeout(1), limiter.slot("https://a.example", URL):
        pass


async def test_memory_stays_bounded_with_ten_thousand_hosts() -> None:
    limiter = HostLimiter(2, 0.0, max_retry_after=60)
    probe = Probe(limiter)
    tasks_before = asyncio.all_tasks()
    await asyncio.gather(*(probe.request(f"https://host{n}.example") for n in range(10_000)))
    assert len(probe.starts) == 10_000
    assert len(limiter) < 2048  # idle hosts are swept; only a recent tail remains
    assert asyncio.all_tasks() <= tasks_before  # no task per host left behind


async def test_spacing_and_pauses_outlive_idleness_until_they_expire() -> None:
    clock = Clock()
    limiter = HostLimiter(2, 5.0, max_retry_after=60, clock=clock)
    for n in range(3000):  # enough to trigger sweeps
        async with limiter.slot(f"https://host{n}.example", URL):
            pass
    limiter.back_off("https://paused.example", 30)
    assert len(limiter) == 3001  # every host is within its 5 s spacing: nothing may be forgotten
    clock.now += 40
    for n in range(1600):  # later traffic elsewhere pays for the sweep
        async with limiter.slot(f"https://later{n}.example", URL):
            pass
    assert len(limiter) <= 1600  # the 3001 expired hosts are gone
