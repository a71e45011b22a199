"""One way to write a machine-readable date: UTC, whole seconds (HTML allows at most 3 fraction digits)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from babelwire.web.dates import iso_datetime


def test_microseconds_and_offsets_become_whole_utc_seconds() -> None:
    stamp = datetime(2026, 12, 2, 6, 55, 25, 311917, tzinfo=timezone(timedelta(hours=2)))
    assert iso_datetime(stamp) == "2026-12-02T04:55:25Z"


def test_naive_is_utc_and_none_is_empty() -> None:
    assert iso_datetime(datetime(2026, 3, 20, 17, 20)) == "2026-03-20T17:20:00Z"
    assert iso_datetime(datetime(2026, 3, 20, 17, 20, tzinfo=UTC)) == "2026-03-20T17:20:00Z"
    assert iso_datetime(None) == ""
