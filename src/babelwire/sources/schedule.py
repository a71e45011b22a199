"""When to poll a source next: pure rules, no I/O, so the runner and its tests agree exactly.

Three inputs decide it: how often the source publishes (its recent item dates), how long the
server says its answer stays fresh (caching headers), and how many polls in a row have failed.
"""

from __future__ import annotations

import itertools
import random
import statistics
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from babelwire.config import PollSettings

# RFC 9111 §1.2.2: a delta-seconds value above 2**31 is to be read as 2**31.
MAX_DELTA_SECONDS = 2**31
# How many of the newest distinct item dates describe "how often it publishes now".
RECENT_ITEMS = 10
# A date this far ahead of our clock is a publisher's clock or time-zone error, not news.
FUTURE_SKEW = timedelta(minutes=5)

_RNG = random.Random()


def cache_lifetime(headers: Mapping[str, str], now: datetime) -> int | None:
    """Seconds the server says its answer stays fresh, or None when it says nothing usable.

    Rules (RFC 9111 §4.2.1, read as a shared cache would, since we serve many readers):
    `no-store`/`no-cache` → 0; else `s-maxage`, then `max-age`, less the `Age` header; else
    `Expires` minus `Date` (our clock when Date is missing or garbage), and an invalid
    Expires means "already stale" (0). Values are capped at 2**31 seconds. Header names
    may come in any case.
    """
    lower = {name.lower(): value for name, value in headers.items()}
    directives = _cache_directives(lower.get("cache-control", ""))
    if "no-store" in directives or "no-cache" in directives:
        return 0
    for name in ("s-maxage", "max-age"):
        seconds = _delta_seconds(directives.get(name))
        if seconds is not None:
            age = _delta_seconds(lower.get("age")) or 0
            return max(0, seconds - age)
    if "expires" not in lower:
        return None
    expires = _http_date(lower["expires"])
    if expires is None:
        return 0
    served = _http_date(lower.get("date", "")) or _as_utc(now)
    return min(MAX_DELTA_SECONDS, max(0, int((expires - served).total_seconds())))


def next_interval(
    polling: PollSettings,
    default_interval: int,
    *,
    item_dates: Sequence[datetime],
    now: datetime,
    cache_lifetime: int | None,
) -> int:
    """Seconds until the next poll of a healthy source.

    Rules: with `polling.adaptive` off, always `default_interval`. Otherwise the estimate is
    half the median gap between the newest distinct item dates, counting the silence since
    the newest item as one more gap (so a source with few items that went quiet slows down);
    dates in the future are ignored; with no usable dates the estimate is `default_interval`.
    Then never poll more often than the server's `cache_lifetime` allows, and clamp to
    [min_interval, max_interval] (min_interval wins if the bounds are crossed). Halving the
    gap means we usually see an item within half a publishing period of its release.
    """
    if not polling.adaptive:
        return default_interval
    estimate = _publishing_gap(item_dates, _as_utc(now))
    interval = default_interval if estimate is None else estimate / 2
    interval = max(interval, cache_lifetime or 0)
    return round(max(polling.min_interval, min(polling.max_interval, interval)))


def backoff_delay(
    polling: PollSettings, base_interval: int, error_count: int, rng: random.Random | None = None
) -> float:
    """Seconds until the next poll after `error_count` consecutive failures.

    Exponential backoff with full jitter above the normal interval: uniform between
    `base_interval` and min(max_backoff, base_interval * 2**error_count). The jitter keeps
    thousands of sources that failed together (one host down) from retrying in lock step;
    the floor keeps a failing source from being polled more often than a healthy one.
    No errors → `base_interval`. Pass `rng` for a repeatable sequence.
    """
    base = float(max(base_interval, 1))
    if error_count <= 0:
        return base
    growth = base * 2.0 ** min(error_count, 64)  # 2**64 already exceeds any sane cap; no overflow
    ceiling = max(base, min(float(polling.max_backoff), growth))
    return (rng or _RNG).uniform(base, ceiling)


def should_disable(polling: PollSettings, error_count: int) -> bool:
    """True once a source has failed `max_failures` polls in a row (0 never disables)."""
    return polling.max_failures > 0 and error_count >= polling.max_failures


def _publishing_gap(item_dates: Sequence[datetime], now: datetime) -> float | None:
    """Median seconds between the newest distinct dates, with the silence since the last one."""
    past = sorted({_as_utc(d) for d in item_dates if _as_utc(d) <= now + FUTURE_SKEW}, reverse=True)
    recent = past[:RECENT_ITEMS]
    if not recent:
        return None
    gaps = [(newer - older).total_seconds() for newer, older in itertools.pairwise(recent)]
    gaps.append(max(0.0, (now - recent[0]).total_seconds()))
    return float(statistics.median(gaps))


def _cache_directives(value: str) -> dict[str, str | None]:
    """Cache-Control directives by lower-case name; a quoted or bare argument as given."""
    directives: dict[str, str | None] = {}
    for part in value.split(","):
        name, sep, argument = part.strip().partition("=")
        if name:
            directives.setdefault(name.strip().lower(), argument.strip().strip('"') if sep else None)
    return directives


def _delta_seconds(value: str | None) -> int | None:
    """RFC 9111 delta-seconds: digits only; anything else is ignored."""
    if value is None:
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        return None
    return min(int(value), MAX_DELTA_SECONDS)


def _http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _as_utc(parsed)


def _as_utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC, as the store keeps them."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
