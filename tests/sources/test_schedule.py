"""The poll schedule: adaptive intervals, caching headers, backoff with jitter, disabling."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babelwire.config import PollSettings
from babelwire.sources.schedule import (
    MAX_DELTA_SECONDS,
    backoff_delay,
    cache_lifetime,
    next_interval,
    should_disable,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
POLLING = PollSettings(min_interval=300, max_interval=86400, max_failures=5, max_backoff=7200)
HOUR = 3600


def hourly(count: int, *, last: datetime = NOW) -> list[datetime]:
    return [last - timedelta(hours=n) for n in range(count)]


def interval(dates: list[datetime], *, lifetime: int | None = None, polling: PollSettings = POLLING) -> int:
    return next_interval(polling, 900, item_dates=dates, now=NOW, cache_lifetime=lifetime)


# --- cache_lifetime --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"cache-control": "max-age=600"}, 600),
        ({"Cache-Control": "public, MAX-AGE=600"}, 600),
        ({"cache-control": "max-age=600, s-maxage=1200"}, 1200),
        ({"cache-control": 'max-age="900"'}, 900),
        ({"cache-control": "max-age=600", "age": "100"}, 500),
        ({"cache-control": "max-age=600", "age": "9000"}, 0),
        ({"cache-control": "no-cache, max-age=600"}, 0),
        ({"cache-control": "no-store"}, 0),
        ({"cache-control": "max-age=99999999999999999999999"}, MAX_DELTA_SECONDS),
        ({"cache-control": "max-age=-5"}, None),
        ({"cache-control": "max-age=1e3"}, None),
        ({"cache-control": "max-age=٣٠٠"}, None),  # non-ASCII digits are not delta-seconds
        ({"cache-control": ",,;=,max-age"}, None),
        ({"expires": "Sat, 01 Mar 2025 13:00:00 GMT", "date": "Sat, 01 Mar 2025 12:30:00 GMT"}, 1800),
        ({"expires": "Sat, 01 Mar 2025 13:00:00 GMT"}, HOUR),  # no Date: our clock
        ({"expires": "Sat, 01 Mar 2025 13:00:00 GMT", "date": "garbage"}, HOUR),
        ({"expires": "Sat, 01 Mar 2025 11:00:00 GMT"}, 0),
        ({"expires": "0"}, 0),
        ({"expires": "Fri, 31 Dec 9999 23:59:59 GMT"}, MAX_DELTA_SECONDS),
        ({"cache-control": "max-age=60", "expires": "Sat, 01 Mar 2025 13:00:00 GMT"}, 60),
        ({"cache-control": "private, must-revalidate"}, None),
    ],
)
def test_cache_lifetime(headers: dict[str, str], expected: int | None) -> None:
    assert cache_lifetime(headers, NOW) == expected


@given(st.dictionaries(st.sampled_from(["cache-control", "expires", "date", "age"]), st.text(max_size=60)))
def test_cache_lifetime_never_crashes_on_garbage(headers: dict[str, str]) -> None:
    result = cache_lifetime(headers, NOW)
    assert result is None or 0 <= result <= MAX_DELTA_SECONDS


# --- next_interval ---------------------------------------------------------------------------------


def test_no_dates_gives_the_default() -> None:
    assert interval([]) == 900


def test_default_is_clamped_to_the_bounds() -> None:
    assert next_interval(POLLING, 10, item_dates=[], now=NOW, cache_lifetime=None) == 300
    assert next_interval(POLLING, 10**9, item_dates=[], now=NOW, cache_lifetime=None) == 86400


def test_hourly_publisher_is_polled_every_half_hour() -> None:
    assert interval(hourly(10)) == HOUR // 2


def test_only_the_newest_items_count() -> None:
    old_daily = [NOW - timedelta(days=30 + n) for n in range(50)]
    assert interval(hourly(10) + old_daily) == HOUR // 2


def test_one_date_uses_the_silence_since_it() -> None:
    assert interval([NOW - timedelta(hours=4)]) == 2 * HOUR


def test_silence_counts_as_one_gap_so_only_sparse_sources_slow_down() -> None:
    fresh = interval(hourly(3))  # gaps 1 h, 1 h and 0 h of silence
    quiet = interval(hourly(3, last=NOW - timedelta(days=2)))  # 1 h, 1 h, 48 h
    assert fresh == HOUR // 2 and quiet == HOUR // 2
    assert interval(hourly(2, last=NOW - timedelta(days=2))) == (HOUR + 48 * HOUR) // 4


def test_future_dates_are_ignored() -> None:
    future = [NOW + timedelta(days=n) for n in range(1, 20)]
    assert interval(hourly(10) + future) == HOUR // 2
    assert interval(future) == 900  # nothing usable: the default


def test_duplicate_dates_do_not_fake_a_busy_source() -> None:
    batch = [NOW - timedelta(hours=6)] * 30  # a CMS import stamps every item alike
    assert interval(batch) == 3 * HOUR


def test_naive_and_aware_dates_mix() -> None:
    naive = [d.replace(tzinfo=None) for d in hourly(5)]
    assert interval(naive) == HOUR // 2


def test_very_busy_source_is_held_at_the_minimum() -> None:
    every_minute = [NOW - timedelta(minutes=n) for n in range(10)]
    assert interval(every_minute) == POLLING.min_interval


def test_cache_lifetime_is_a_floor() -> None:
    assert interval(hourly(10), lifetime=2 * HOUR) == 2 * HOUR
    assert interval(hourly(10), lifetime=60) == HOUR // 2


def test_huge_cache_lifetime_is_capped_by_max_interval() -> None:
    assert interval(hourly(10), lifetime=MAX_DELTA_SECONDS) == POLLING.max_interval


def test_not_adaptive_keeps_the_default() -> None:
    fixed = POLLING.model_copy(update={"adaptive": False})
    assert interval(hourly(10), lifetime=HOUR * 5, polling=fixed) == 900


def test_crossed_bounds_favour_the_minimum() -> None:
    crossed = PollSettings(min_interval=600, max_interval=60)
    assert next_interval(crossed, 900, item_dates=[], now=NOW, cache_lifetime=None) == 600


@given(
    st.lists(st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1)), max_size=30),
    st.one_of(st.none(), st.integers(min_value=0, max_value=MAX_DELTA_SECONDS)),
)
def test_interval_always_within_bounds(dates: list[datetime], lifetime: int | None) -> None:
    result = interval(dates, lifetime=lifetime)
    assert POLLING.min_interval <= result <= POLLING.max_interval


# --- backoff and disabling --------------------------------------------------------------------------


def test_no_errors_means_no_backoff() -> None:
    assert backoff_delay(POLLING, 900, 0) == 900


def test_backoff_grows_within_its_window_and_caps() -> None:
    rng = random.Random(7)
    for errors in range(1, 12):
        delay = backoff_delay(POLLING, 900, errors, rng)
        assert 900 <= delay <= min(POLLING.max_backoff, 900 * 2**errors)
    assert max(backoff_delay(POLLING, 900, 1000, rng) for _ in range(200)) <= POLLING.max_backoff


def test_backoff_is_jittered_and_repeatable() -> None:
    first = [backoff_delay(POLLING, 900, 3, random.Random(42)) for _ in range(3)]
    assert len(set(first)) == 1  # same seed, same delay
    spread = {round(backoff_delay(POLLING, 900, 3, random.Random(seed))) for seed in range(50)}
    assert len(spread) > 40  # sources failing together do not retry together


def test_backoff_never_drops_below_the_normal_interval() -> None:
    small_cap = POLLING.model_copy(update={"max_backoff": 60})
    assert backoff_delay(small_cap, 900, 5, random.Random(1)) == 900
    assert backoff_delay(POLLING, 0, 3, random.Random(1)) >= 1


@pytest.mark.parametrize(("errors", "disabled"), [(0, False), (4, False), (5, True), (50, True)])
def test_should_disable_after_max_failures(errors: int, disabled: bool) -> None:
    assert should_disable(POLLING, errors) is disabled


def test_zero_max_failures_never_disables() -> None:
    assert not should_disable(PollSettings(max_failures=0), 10**6)
