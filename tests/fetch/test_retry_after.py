from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from babelwire.fetch.retry_after import parse_retry_after, retry_after_of

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("999999999", 3600.0),  # capped
        (format_datetime(NOW + timedelta(minutes=5), usegmt=True), 300.0),
        (format_datetime(NOW - timedelta(days=1), usegmt=True), 0.0),  # already passed
        ("Sun, 01 Mar 2026 13:00:00", 3600.0),  # no zone: read as GMT, then capped
        ("-5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW, cap=3600) == expected


@pytest.mark.parametrize(("status", "expected"), [(429, 120.0), (503, 120.0), (500, None), (200, None)])
def test_retry_after_of_reads_only_429_and_503(status: int, expected: float | None) -> None:
    assert retry_after_of(status, {"retry-after": "120"}, cap=3600) == expected
    assert retry_after_of(status, {}, cap=3600) is None
